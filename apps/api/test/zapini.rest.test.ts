import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTaggingRestClient, type TaggingRestClient } from '@tagging/client';
import { restCall, startTestServer, type TestServer } from '../testing/test-server.ts';
import { fixture, type WorkspaceFixture } from '../testing/workspace-fixture.ts';

/** Document 002 (Zapini API v1), its examples sent as written (host, ids and token aside). */
let server: TestServer;
let tenant: WorkspaceFixture;
let other: WorkspaceFixture;
/** The REST client of each tenant, sending `Accept: application/json` as the document's examples do. */
let zapini: TaggingRestClient;
let otherZapini: TaggingRestClient;

beforeAll(async () => {
  server = await startTestServer();
  tenant = await fixture(server, 'Zapini tenant');
  other = await fixture(server, 'Another tenant');
  const headers = { accept: 'application/json' };
  zapini = createTaggingRestClient({ baseUrl: server.url, apiKey: tenant.apiKey, headers });
  otherZapini = createTaggingRestClient({ baseUrl: server.url, apiKey: other.apiKey, headers });
});
afterAll(() => server.close());

const byUuid = (uuid: string) => ({ params: { path: { uuid } } });
const created = async (name: string, color = '#3b82f6', client = zapini) => {
  const { data } = await client.POST('/v1/tags', { body: { name, color } });
  if (!data) throw new Error(`the tag ${name} was refused`);
  return data.data.tag;
};
const replaceTags = (conversation: string, tagIds: string[]) =>
  zapini.PUT('/v1/conversations/{uuid}/tags', { ...byUuid(conversation), body: { tag_ids: tagIds } });

describe('Zapini tags', () => {
  it('POST /tags as in the document', async () => {
    const { data, response } = await zapini.POST('/v1/tags', { body: { name: 'Important', color: '#ef4444' } });
    expect(response.status).toBe(201);
    expect(data).toMatchObject({
      success: true,
      message: 'Tag created successfully',
      data: { tag: { name: 'Important', color: '#ef4444', conversations_count: 0 } },
    });
    expect(Object.keys(data?.data.tag ?? {}).sort()).toEqual([
      'color',
      'conversations_count',
      'created_at',
      'id',
      'name',
      'updated_at',
    ]);
  });

  it('GET /tags lists the tenant’s tags with conversations_count', async () => {
    const vip = await created('VIP', '#f59e0b');
    const conversation = await tenant.sessionOf(null);
    await replaceTags(conversation.id, [vip.id]);
    const { data, response } = await zapini.GET('/v1/tags');
    expect(response.status).toBe(200);
    expect(data?.data.tags.find((t) => t.id === vip.id)).toMatchObject({
      name: 'VIP',
      color: '#f59e0b',
      conversations_count: 1,
    });
  });

  it('GET, PATCH and DELETE /tags/{uuid}', async () => {
    const tag = await created('Editable');
    expect((await zapini.GET('/v1/tags/{uuid}', byUuid(tag.id))).data).toMatchObject({
      success: true,
      data: { tag: { id: tag.id } },
    });
    expect(
      (await zapini.PATCH('/v1/tags/{uuid}', { ...byUuid(tag.id), body: { color: '#10b981' } })).data,
    ).toMatchObject({
      success: true,
      data: { tag: { name: 'Editable', color: '#10b981' } },
    });
    expect((await zapini.DELETE('/v1/tags/{uuid}', byUuid(tag.id))).data).toMatchObject({ success: true });
    const gone = await zapini.GET('/v1/tags/{uuid}', byUuid(tag.id));
    expect(gone.response.status).toBe(404);
    expect(gone.error).toMatchObject({ success: false, message: expect.any(String) });
  });

  it('validates as documented, in the envelope, with per-field errors', async () => {
    const tooLong = await zapini.POST('/v1/tags', { body: { name: 'x'.repeat(51), color: '#ef4444' } });
    expect(tooLong.response.status).toBe(400);
    expect(tooLong.error).toMatchObject({ success: false, errors: { name: [expect.stringContaining('50')] } });
    const badColor = await zapini.POST('/v1/tags', { body: { name: 'Colorless', color: 'red' } });
    expect(badColor.error).toMatchObject({ success: false, errors: { color: [expect.any(String)] } });
    // The document's required color left out: a body the typed client does not build.
    const noColor = await tenant.raw('POST', '/api/v1/tags', {
      body: { name: 'No color' },
      headers: { accept: 'application/json' },
    });
    expect(noColor.body).toMatchObject({ success: false, errors: { color: [expect.any(String)] } });
    await created('Unique');
    const duplicate = await zapini.POST('/v1/tags', { body: { name: 'unique', color: '#ef4444' } });
    expect(duplicate.response.status).toBe(409);
    expect(duplicate.error).toMatchObject({ success: false });
    const noToken = await restCall(server, 'GET', '/api/v1/tags');
    expect(noToken.status).toBe(401);
    expect(noToken.body).toMatchObject({ success: false });
  });

  it('keeps tenants apart: another tenant’s ids are 404', async () => {
    const foreign = await created('Theirs', '#000000', otherZapini);
    const attempts = [
      ['GET', await zapini.GET('/v1/tags/{uuid}', byUuid(foreign.id))],
      ['PATCH', await zapini.PATCH('/v1/tags/{uuid}', { ...byUuid(foreign.id), body: { name: 'Mine now' } })],
      ['DELETE', await zapini.DELETE('/v1/tags/{uuid}', byUuid(foreign.id))],
    ] as const;
    for (const [method, { response, error }] of attempts) {
      expect(response.status, method).toBe(404);
      expect(error).toMatchObject({ success: false });
    }
    expect((await otherZapini.GET('/v1/tags/{uuid}', byUuid(foreign.id))).data).toMatchObject({
      data: { tag: { name: 'Theirs' } },
    });
  });
});

describe('Zapini conversation tags', () => {
  it('PUT replaces all tags as in the document; [] removes them', async () => {
    const [vip, support] = [await created('Conv VIP', '#f59e0b'), await created('Conv Support', '#3b82f6')];
    const { id: conversation } = await tenant.sessionOf(null);
    const { data, response } = await replaceTags(conversation, [vip.id, support.id]);
    expect(response.status).toBe(200);
    expect(data).toMatchObject({
      success: true,
      message: 'Conversation tags updated',
      data: {
        tags: [
          { id: vip.id, name: 'Conv VIP', color: '#f59e0b' },
          { id: support.id, name: 'Conv Support', color: '#3b82f6' },
        ],
      },
    });
    expect((await replaceTags(conversation, [support.id])).data).toMatchObject({
      data: { tags: [{ id: support.id }] },
    });
    expect((await replaceTags(conversation, [])).data).toMatchObject({ data: { tags: [] } });
  });

  it('leaves inherited tags alone and lets a removed direct tag fall back to inherited', async () => {
    const inherited = await created('From contact', '#111111');
    const own = await created('Own', '#222222');
    const contact = await tenant.contact();
    await tenant.rest.POST('/tags/{tagId}/contacts/{contactId}', {
      params: { path: { tagId: inherited.id, contactId: contact.id } },
    });
    const { id: conversation } = await tenant.sessionOf(contact);
    const put = await replaceTags(conversation, [own.id, inherited.id]);
    expect(put.data?.data.tags.map((t) => t.id)).toEqual([inherited.id, own.id]);
    const cleared = await replaceTags(conversation, []);
    expect(cleared.data?.data).toMatchObject({ tags: [], inherited_tags: [{ id: inherited.id }] });
  });

  it('answers unknown tag ids and another tenant’s conversation with 404', async () => {
    const { id: conversation } = await tenant.sessionOf(null);
    const unknown = await replaceTags(conversation, ['wtag_00000000-0000-7000-8000-000000000000']);
    expect(unknown.response.status).toBe(404);
    expect(unknown.error).toMatchObject({ success: false, errors: { 'tag_ids.0': [expect.any(String)] } });
    const foreignTag = await created('Not yours', '#333333', otherZapini);
    expect((await replaceTags(conversation, [foreignTag.id])).response.status).toBe(404);
    const theirs = await other.sessionOf(null);
    expect((await replaceTags(theirs.id, [])).response.status).toBe(404);
  });

  it('answers 412 to a stale If-Match (RFC 9110), so two agents cannot overwrite each other', async () => {
    const [a, b] = [await created('Agent A', '#444444'), await created('Agent B', '#555555')];
    const { id: conversation } = await tenant.sessionOf(null);
    const read = await zapini.GET('/v1/conversations/{uuid}/tags', byUuid(conversation));
    const version = read.response.headers.get('etag') ?? '';
    expect(version).toMatch(/^"[0-9a-f]+"$/);
    const ifMatch = (tagIds: string[]) =>
      zapini.PUT('/v1/conversations/{uuid}/tags', {
        params: { path: { uuid: conversation }, header: { 'If-Match': version } },
        body: { tag_ids: tagIds },
      });
    expect((await ifMatch([a.id])).response.status).toBe(200);
    const second = await ifMatch([b.id]);
    expect(second.response.status).toBe(412);
    expect(second.error).toMatchObject({ success: false });
    const { data: now } = await zapini.GET('/v1/conversations/{uuid}/tags', byUuid(conversation));
    expect(now?.data.tags.map((t) => t.id)).toEqual([a.id]);
    const fresh = await zapini.PUT('/v1/conversations/{uuid}/tags', {
      ...byUuid(conversation),
      body: { tag_ids: [b.id], version: now?.data.version ?? '' },
    });
    expect(fresh.response.status).toBe(200);
  });
});
