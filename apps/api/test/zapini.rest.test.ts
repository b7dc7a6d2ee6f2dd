import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZapiniConversationTags, ZapiniTag } from '@tagging/contracts';
import { restCall, startTestServer, type TestServer, type TestWorkspace } from '../testing/test-server.ts';

/** Document 002 (Zapini API v1), its examples sent as written (host, ids and token aside). */
let server: TestServer;
let tenant: TestWorkspace;
let other: TestWorkspace;

beforeAll(async () => {
  server = await startTestServer();
  tenant = await server.newWorkspace('Zapini tenant');
  other = await server.newWorkspace('Another tenant');
});
afterAll(() => server.close());

const zapini = (
  method: string,
  path: string,
  body?: unknown,
  token = tenant.apiKey,
  headers: Record<string, string> = {},
) =>
  restCall(server, method, `/api/v1${path}`, {
    body,
    apiKey: token,
    headers: { accept: 'application/json', ...headers },
  });
const created = async (name: string, color = '#3b82f6', token = tenant.apiKey) =>
  ((await zapini('POST', '/tags', { name, color }, token)).body as { data: { tag: ZapiniTag } }).data.tag;

describe('Zapini tags', () => {
  it('POST /tags as in the document', async () => {
    const response = await zapini('POST', '/tags', { name: 'Important', color: '#ef4444' });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      success: true,
      message: 'Tag created successfully',
      data: { tag: { name: 'Important', color: '#ef4444', conversations_count: 0 } },
    });
    const tag = (response.body as { data: { tag: ZapiniTag } }).data.tag;
    expect(Object.keys(tag).sort()).toEqual(['color', 'conversations_count', 'created_at', 'id', 'name', 'updated_at']);
  });

  it('GET /tags lists the tenant’s tags with conversations_count', async () => {
    const vip = await created('VIP', '#f59e0b');
    const conversation = (
      (await restCall(server, 'POST', '/api/sessions', { body: {}, apiKey: tenant.apiKey })).body as { id: string }
    ).id;
    await zapini('PUT', `/conversations/${conversation}/tags`, { tag_ids: [vip.id] });
    const response = await zapini('GET', '/tags');
    expect(response.status).toBe(200);
    const tags = (response.body as { success: boolean; data: { tags: ZapiniTag[] } }).data.tags;
    expect(tags.find((t) => t.id === vip.id)).toMatchObject({ name: 'VIP', color: '#f59e0b', conversations_count: 1 });
  });

  it('GET, PATCH and DELETE /tags/{uuid}', async () => {
    const tag = await created('Editable');
    expect((await zapini('GET', `/tags/${tag.id}`)).body).toMatchObject({
      success: true,
      data: { tag: { id: tag.id } },
    });
    expect((await zapini('PATCH', `/tags/${tag.id}`, { color: '#10b981' })).body).toMatchObject({
      success: true,
      data: { tag: { name: 'Editable', color: '#10b981' } },
    });
    expect((await zapini('DELETE', `/tags/${tag.id}`)).body).toMatchObject({ success: true });
    const gone = await zapini('GET', `/tags/${tag.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ success: false, message: expect.any(String) });
  });

  it('validates as documented, in the envelope, with per-field errors', async () => {
    const tooLong = await zapini('POST', '/tags', { name: 'x'.repeat(51), color: '#ef4444' });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body).toMatchObject({ success: false, errors: { name: [expect.stringContaining('50')] } });
    const badColor = await zapini('POST', '/tags', { name: 'Colorless', color: 'red' });
    expect(badColor.body).toMatchObject({ success: false, errors: { color: [expect.any(String)] } });
    const noColor = await zapini('POST', '/tags', { name: 'No color' });
    expect(noColor.body).toMatchObject({ success: false, errors: { color: [expect.any(String)] } });
    await created('Unique');
    const duplicate = await zapini('POST', '/tags', { name: 'unique', color: '#ef4444' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ success: false });
    const noToken = await restCall(server, 'GET', '/api/v1/tags');
    expect(noToken.status).toBe(401);
    expect(noToken.body).toMatchObject({ success: false });
  });

  it('keeps tenants apart: another tenant’s ids are 404', async () => {
    const foreign = await created('Theirs', '#000000', other.apiKey);
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { name: 'Mine now' }],
      ['DELETE', undefined],
    ] as const) {
      const response = await zapini(method, `/tags/${foreign.id}`, body);
      expect(response.status, method).toBe(404);
      expect(response.body).toMatchObject({ success: false });
    }
    expect((await zapini('GET', `/tags/${foreign.id}`, undefined, other.apiKey)).body).toMatchObject({
      data: { tag: { name: 'Theirs' } },
    });
  });
});

describe('Zapini conversation tags', () => {
  const conversationOf = async (contactId?: string) =>
    (
      (await restCall(server, 'POST', '/api/sessions', { body: contactId ? { contactId } : {}, apiKey: tenant.apiKey }))
        .body as {
        id: string;
      }
    ).id;

  it('PUT replaces all tags as in the document; [] removes them', async () => {
    const [vip, support] = [await created('Conv VIP', '#f59e0b'), await created('Conv Support', '#3b82f6')];
    const conversation = await conversationOf();
    const response = await zapini('PUT', `/conversations/${conversation}/tags`, { tag_ids: [vip.id, support.id] });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      success: true,
      message: 'Conversation tags updated',
      data: {
        tags: [
          { id: vip.id, name: 'Conv VIP', color: '#f59e0b' },
          { id: support.id, name: 'Conv Support', color: '#3b82f6' },
        ],
      },
    });
    expect((await zapini('PUT', `/conversations/${conversation}/tags`, { tag_ids: [support.id] })).body).toMatchObject({
      data: { tags: [{ id: support.id }] },
    });
    expect((await zapini('PUT', `/conversations/${conversation}/tags`, { tag_ids: [] })).body).toMatchObject({
      data: { tags: [] },
    });
  });

  it('leaves inherited tags alone and lets a removed direct tag fall back to inherited', async () => {
    const inherited = await created('From contact', '#111111');
    const own = await created('Own', '#222222');
    const contact = (
      (await restCall(server, 'POST', '/api/contacts', { body: {}, apiKey: tenant.apiKey })).body as { id: string }
    ).id;
    await restCall(server, 'POST', `/api/tags/${inherited.id}/contacts/${contact}`, { apiKey: tenant.apiKey });
    const conversation = await conversationOf(contact);
    const put = (await zapini('PUT', `/conversations/${conversation}/tags`, { tag_ids: [own.id, inherited.id] }))
      .body as ZapiniConversationTags;
    expect(put.data.tags.map((t) => t.id)).toEqual([inherited.id, own.id]);
    const cleared = (await zapini('PUT', `/conversations/${conversation}/tags`, { tag_ids: [] }))
      .body as ZapiniConversationTags;
    expect(cleared.data).toMatchObject({ tags: [], inherited_tags: [{ id: inherited.id }] });
  });

  it('answers unknown tag ids and another tenant’s conversation with 404', async () => {
    const conversation = await conversationOf();
    const unknown = await zapini('PUT', `/conversations/${conversation}/tags`, {
      tag_ids: ['wtag_00000000-0000-7000-8000-000000000000'],
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ success: false, errors: { 'tag_ids.0': [expect.any(String)] } });
    const foreignTag = await created('Not yours', '#333333', other.apiKey);
    expect((await zapini('PUT', `/conversations/${conversation}/tags`, { tag_ids: [foreignTag.id] })).status).toBe(404);
    const theirs = (
      (await restCall(server, 'POST', '/api/sessions', { body: {}, apiKey: other.apiKey })).body as { id: string }
    ).id;
    expect((await zapini('PUT', `/conversations/${theirs}/tags`, { tag_ids: [] })).status).toBe(404);
  });

  it('answers 412 to a stale If-Match (RFC 9110), so two agents cannot overwrite each other', async () => {
    const [a, b] = [await created('Agent A', '#444444'), await created('Agent B', '#555555')];
    const conversation = await conversationOf();
    const read = await zapini('GET', `/conversations/${conversation}/tags`);
    const version = read.headers.get('etag') ?? '';
    expect(version).toMatch(/^"[0-9a-f]+"$/);
    const first = await zapini('PUT', `/conversations/${conversation}/tags`, { tag_ids: [a.id] }, tenant.apiKey, {
      'if-match': version,
    });
    expect(first.status).toBe(200);
    const second = await zapini('PUT', `/conversations/${conversation}/tags`, { tag_ids: [b.id] }, tenant.apiKey, {
      'if-match': version,
    });
    expect(second.status).toBe(412);
    expect(second.body).toMatchObject({ success: false });
    const now = (await zapini('GET', `/conversations/${conversation}/tags`)).body as ZapiniConversationTags;
    expect(now.data.tags.map((t) => t.id)).toEqual([a.id]);
    const fresh = await zapini('PUT', `/conversations/${conversation}/tags`, {
      tag_ids: [b.id],
      version: now.data.version,
    });
    expect(fresh.status).toBe(200);
  });
});
