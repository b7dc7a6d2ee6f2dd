import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulkTagResult, BulkUntagResult, ContactExportView, ZapiniConversationTags } from '@tagging/contracts';
import { openApiDocument, operationsOf } from '../src/openapi/openapi-document.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { dialectCalls, uuidOf, type DialectCalls } from './support/dialect-calls.ts';

/**
 * Issue 15, items 2–7: each kind of divergence on every route and dialect it applies to.
 * (Items 1 and 8, the empty JSON body and GraphQL's spec, have their own tests.)
 */
let server: TestServer;
let us: DialectCalls;
let them: DialectCalls;

beforeAll(async () => {
  server = await startTestServer();
  us = dialectCalls(server, await server.newWorkspace('Fidelity'));
  them = dialectCalls(server, await server.newWorkspace('Elsewhere'));
});
afterAll(() => server.close());

const document = openApiDocument('http://localhost');

describe('2. an invalid entity type is a 400', () => {
  for (const route of ['tag', 'untag'] as const)
    it(`POST /api/entity-tags/bulk/${route} refuses the whole request, names the item and applies nothing`, async () => {
      const tag = await us.newTag();
      const contact = await us.newContact();
      if (route === 'untag') await us.rest('POST', `/api/tags/${tag}/contacts/${contact}`);
      for (const entityType of ['user', 'Contact', '', 42, null]) {
        const response = await us.rest('POST', `/api/entity-tags/bulk/${route}?workspaceId=${us.ws.id}`, {
          tagId: tag,
          entities: [
            { entityType: 'contact', entityId: contact },
            { entityType, entityId: contact },
          ],
        });
        expect([entityType, response.status]).toEqual([entityType, 400]);
        expect(response.body).toMatchObject({
          code: 'VALIDATION_ERROR',
          issues: [{ path: ['entities', 1, 'entityType'] }],
        });
      }
      const missingId = await us.rest('POST', `/api/entity-tags/bulk/${route}?workspaceId=${us.ws.id}`, {
        tagId: tag,
        entities: [{ entityType: 'contact' }],
      });
      expect(missingId.status).toBe(400);
      const now = await us.rest('GET', `/api/entity-tags/contacts/${contact}/tags?workspaceId=${us.ws.id}`);
      expect((now.body as { tags: unknown[] }).tags).toHaveLength(route === 'untag' ? 1 : 0);
    });

  it('is a 400 over tRPC too', async () => {
    const tag = await us.newTag();
    for (const path of ['entityTags.bulkTag', 'entityTags.bulkUntag']) {
      const response = await us.trpc('mutation', path, {
        workspaceId: us.ws.id,
        tagId: tag,
        entities: [{ entityType: 'user', entityId: 'u1' }],
      });
      expect([path, response.status, response.error?.data?.errorCode]).toEqual([path, 400, 'VALIDATION_ERROR']);
    }
  });

  it('keeps per-entity errors for records that do not exist, and says success: false when every entity failed', async () => {
    const tag = await us.newTag();
    const theirs = await them.newContact();
    const failed = (
      await us.rest('POST', `/api/entity-tags/bulk/tag?workspaceId=${us.ws.id}`, {
        tagId: tag,
        entities: [
          { entityType: 'contact', entityId: 'contact_123' },
          { entityType: 'contact', entityId: theirs },
          { entityType: 'contact', entityId: 'contact_123' },
        ],
      })
    ).body as BulkTagResult;
    expect(failed).toMatchObject({ success: false, tagged: 0 });
    expect(failed.errors.map((error) => error.code)).toEqual(['NOT_FOUND', 'NOT_FOUND']);

    // Untagging a tag a session only inherits is a conflict; when that is all, nothing succeeded.
    const contact = await us.newContact();
    const session = await us.newSession(contact);
    await us.rest('POST', `/api/tags/${tag}/contacts/${contact}`);
    const conflict = (
      await us.rest('POST', `/api/entity-tags/bulk/untag?workspaceId=${us.ws.id}`, {
        tagId: tag,
        entities: [{ entityType: 'session', entityId: session }],
      })
    ).body as BulkUntagResult;
    expect(conflict).toMatchObject({ success: false, untagged: 0, errors: [{ code: 'CONFLICT' }] });

    const partly = (
      await us.rest('POST', `/api/entity-tags/bulk/tag?workspaceId=${us.ws.id}`, {
        tagId: tag,
        entities: [
          { entityType: 'contact', entityId: 'contact_123' },
          { entityType: 'contact', entityId: contact },
        ],
      })
    ).body as BulkTagResult;
    expect(partly).toMatchObject({ success: true, skipped: 1, errors: [{ index: 0, code: 'NOT_FOUND' }] });
  });
});

describe('3. preconditions follow HTTP (PUT /api/v1/conversations/{uuid}/tags)', () => {
  const put = (conversation: string, body: unknown, ifMatch?: string) =>
    us.zapini('PUT', `/conversations/${conversation}/tags`, body, ifMatch === undefined ? {} : { 'if-match': ifMatch });

  it('If-Match: * matches any existing conversation, and no missing one', async () => {
    const tag = uuidOf(await us.newTag());
    const conversation = await us.newSession();
    await put(conversation, { tag_ids: [tag] });
    const response = await put(conversation, { tag_ids: [] }, '*');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ success: true, data: { tags: [] } });
    expect((await put(`wses_${'0'.repeat(8)}-0000-7000-8000-${'0'.repeat(12)}`, { tag_ids: [] }, '*')).status).toBe(
      404,
    );
    expect((await put(await them.newSession(), { tag_ids: [] }, '*')).status).toBe(404);
  });

  it('a stale If-Match is 412 and changes nothing; a current one (alone or in a list) applies', async () => {
    const [a, b] = [uuidOf(await us.newTag()), uuidOf(await us.newTag())];
    const conversation = await us.newSession();
    const etag = (await us.zapini('GET', `/conversations/${conversation}/tags`)).headers.get('etag') ?? '';
    expect((await put(conversation, { tag_ids: [a] }, etag)).status).toBe(200);
    for (const stale of [etag, `W/${etag}`, `"other", ${etag}`, '"nope"']) {
      const response = await put(conversation, { tag_ids: [b] }, stale);
      expect([stale, response.status]).toEqual([stale, 412]);
      expect(response.body).toMatchObject({ success: false, message: expect.stringContaining('If-Match') });
    }
    const read = await us.zapini('GET', `/conversations/${conversation}/tags`);
    expect((read.body as ZapiniConversationTags).data.tags.map((t) => t.id)).toEqual([a]);
    const current = read.headers.get('etag') ?? '';
    expect((await put(conversation, { tag_ids: [a, b] }, `"stale", ${current}`)).status).toBe(200);
    // A weak tag never matches (strong comparison), even the current version.
    const now = (await us.zapini('GET', `/conversations/${conversation}/tags`)).headers.get('etag') ?? '';
    expect((await put(conversation, { tag_ids: [] }, `W/${now}`)).status).toBe(412);
  });

  it('a stale version in the body stays 409', async () => {
    const conversation = await us.newSession();
    const { version } = ((await us.zapini('GET', `/conversations/${conversation}/tags`)).body as ZapiniConversationTags)
      .data;
    expect((await put(conversation, { tag_ids: [uuidOf(await us.newTag())], version })).status).toBe(200);
    const stale = await put(conversation, { tag_ids: [], version });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ success: false });
  });

  it('the OpenAPI document says so', () => {
    const operation = operationsOf(document).find((o) => o.operation.operationId === 'zapini-replaceConversationTags');
    expect(operation?.operation.responses).toHaveProperty('412');
    expect(operation?.operation.responses).toHaveProperty('409');
    const ifMatch = operation?.operation.parameters?.find((p) => 'name' in p && p.name === 'If-Match');
    expect(ifMatch).toMatchObject({ in: 'header', description: expect.stringMatching(/412[\s\S]*`\*`[\s\S]*409/) });
  });
});

describe('4. each dialect keeps its own document’s constraints, whoever wrote the data', () => {
  it('Zapini answers colors as #RRGGBB (names, short hex, rgb() converted), anything else null', async () => {
    const cases: [string | null, string | null][] = [
      ['blue', '#0000ff'],
      ['RebeccaPurple', '#663399'],
      ['#f00', '#ff0000'],
      ['#FF5733', '#FF5733'],
      ['rgb(255,0,0)', '#ff0000'],
      ['hsl(120 100% 50%)', '#00ff00'],
      ['#ff000080', null],
      ['transparent', null],
      ['brand-green', null],
      [null, null],
    ];
    const conversation = await us.newSession();
    const ids: string[] = [];
    for (const [color, hex] of cases) {
      const tag = await us.newTag({ color });
      ids.push(uuidOf(tag));
      const one = await us.zapini('GET', `/tags/${uuidOf(tag)}`);
      expect([color, one.body]).toMatchObject([color, { data: { tag: { color: hex } } }]);
    }
    const listed = (
      (await us.zapini('GET', '/tags')).body as { data: { tags: { id: string; color: string | null }[] } }
    ).data.tags;
    expect(ids.map((id) => listed.find((t) => t.id === id)?.color)).toEqual(cases.map(([, hex]) => hex));
    const put = (await us.zapini('PUT', `/conversations/${conversation}/tags`, { tag_ids: ids }))
      .body as ZapiniConversationTags;
    expect(put.data.tags.map((t) => t.color)).toEqual(cases.map(([, hex]) => hex));
    // /api keeps what was stored.
    expect((await us.rest('GET', `/api/tags/${ids[0]}`)).body).toMatchObject({ color: 'blue' });
  });

  it('Zapini messages speak of conversations, not sessions', async () => {
    const missing = `wses_${'0'.repeat(8)}-0000-7000-8000-${'0'.repeat(12)}`;
    for (const [method, body] of [
      ['GET', undefined],
      ['PUT', { tag_ids: [] }],
    ] as const) {
      const response = await us.zapini(method, `/conversations/${missing}/tags`, body);
      expect(response.status).toBe(404);
      const message = (response.body as { message: string }).message;
      expect(message).toMatch(/conversation/);
      expect(message).not.toMatch(/session|wses_/i);
    }
  });
});

describe('5. inputs are as permissive as the documents', () => {
  it('/api/tags takes every CSS color that fits in 20 characters, on create and update', async () => {
    for (const color of ['#f00', '#ff000080', 'rgb(255,0,0)', 'rgba(0, 0, 255, 0.5)', 'hsl(0 100% 50%)', 'teal']) {
      const created = await us.rest('POST', '/api/tags', { name: `Color ${color}`, color });
      expect([color, created.status, (created.body as { color: string }).color]).toEqual([color, 201, color]);
      const updated = await us.rest('PUT', `/api/tags/${(created.body as { id: string }).id}`, { color });
      expect([color, updated.status]).toEqual([color, 200]);
    }
    expect((await us.rest('POST', '/api/tags', { name: 'Too long', color: 'rgb(255, 255, 255, 1)' })).status).toBe(400);
  });

  it('"" clears color and emoji like null', async () => {
    const created = await us.rest('POST', '/api/tags', { name: 'Blank fields', color: '', emoji: '' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ color: null, emoji: null });
    const id = (created.body as { id: string }).id;
    await us.rest('PUT', `/api/tags/${id}`, { color: 'blue', emoji: '⭐' });
    const cleared = await us.rest('PUT', `/api/tags/${id}`, { color: '', emoji: '' });
    expect(cleared.body).toMatchObject({ color: null, emoji: null });
    const trpc = await us.trpc('mutation', 'tags.update', { id, color: '' });
    expect(trpc.data).toMatchObject({ color: null });
  });

  it('Zapini ignores body fields it does not know: a client PATCHes back the tag it read', async () => {
    const created = await us.zapini('POST', '/tags', { name: 'Read back', color: '#123456', icon: 'star' });
    expect(created.status).toBe(201);
    const tag = (created.body as { data: { tag: Record<string, unknown> } }).data.tag;
    const patched = await us.zapini('PATCH', `/tags/${String(tag.id)}`, { ...tag, name: 'Read back 2' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ data: { tag: { id: tag.id, name: 'Read back 2', color: '#123456' } } });
    // A tag whose color Zapini shows as null can be sent back as it was read.
    const named = uuidOf(await us.newTag({ color: 'brand-green' }));
    const read = ((await us.zapini('GET', `/tags/${named}`)).body as { data: { tag: Record<string, unknown> } }).data
      .tag;
    expect(read.color).toBeNull();
    expect((await us.zapini('PATCH', `/tags/${named}`, read)).status).toBe(200);
    // … and the round trip changes no color the client did not change (black-box client, session 24).
    expect((await us.rest('GET', `/api/tags/${named}`)).body).toMatchObject({ color: 'brand-green' });
    const blue = uuidOf(await us.newTag({ color: 'blue' }));
    const blueRead = ((await us.zapini('GET', `/tags/${blue}`)).body as { data: { tag: Record<string, unknown> } }).data
      .tag;
    expect(blueRead.color).toBe('#0000ff');
    expect((await us.zapini('PATCH', `/tags/${blue}`, { ...blueRead, name: 'Blue' })).status).toBe(200);
    expect((await us.rest('GET', `/api/tags/${blue}`)).body).toMatchObject({ name: 'Blue', color: 'blue' });
    expect((await us.zapini('PATCH', `/tags/${blue}`, { color: '#0000FF' })).status).toBe(200);
    expect((await us.rest('GET', `/api/tags/${blue}`)).body).toMatchObject({ color: 'blue' });
    // A color the client does change is written, and null clears a color Zapini showed.
    expect((await us.zapini('PATCH', `/tags/${blue}`, { color: '#112233' })).body).toMatchObject({
      data: { tag: { color: '#112233' } },
    });
    expect((await us.zapini('PATCH', `/tags/${blue}`, { color: null })).body).toMatchObject({
      data: { tag: { color: null } },
    });
    expect((await us.rest('GET', `/api/tags/${blue}`)).body).toMatchObject({ color: null });
    expect((await us.zapini('PATCH', `/tags/${uuidOf(await us.newTag())}`, { color: '#000000' })).status).toBe(200);
    expect((await us.zapini('PATCH', '/tags/00000000-0000-7000-8000-000000000000', { color: null })).status).toBe(404);
    const conversation = await us.newSession();
    const put = await us.zapini('PUT', `/conversations/${conversation}/tags`, { tag_ids: [named], extra: 1 });
    expect(put.status).toBe(200);
  });

  it('/api write bodies keep refusing unknown fields', async () => {
    const tag = await us.newTag();
    const contact = await us.newContact();
    for (const [method, path, body] of [
      ['POST', '/api/tags', { name: 'Typo', colour: 'blue' }],
      ['PUT', `/api/tags/${tag}`, { colour: 'blue' }],
      ['POST', `/api/entity-tags/contacts/${contact}/tags?workspaceId=${us.ws.id}`, { tagId: tag, tagid: tag }],
      ['POST', '/api/contacts', { nmae: 'x' }],
      ['PATCH', '/api/tags/bulk', { patches: [{ id: tag, ordr: 1 }] }],
    ] as const) {
      const response = await us.rest(method, path, body);
      expect([method, path, response.status]).toEqual([method, path, 400]);
    }
  });

  it('every read of every dialect ignores query parameters it does not know (cache busters)', async () => {
    const tag = await us.newTag();
    const contact = await us.newContact();
    const session = await us.newSession(contact);
    const jobs = await us.rest('GET', `/api/entity-tags/jobs/job_none?workspaceId=${us.ws.id}`);
    expect(jobs.status).toBe(404);
    const exported = (await us.rest('POST', '/api/exports', { format: 'csv' })).body as ContactExportView;
    const created = await us.rest('POST', '/api/webhooks/endpoints', { url: 'http://127.0.0.1:9/hook' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const endpoint = created.body as { id: string };
    const tested = await us.rest('POST', `/api/webhooks/endpoints/${endpoint.id}/test`, {});
    expect(tested.status, JSON.stringify(tested.body)).toBe(202);
    const delivery = tested.body as { id: string };
    const ids: Record<string, string> = {
      id: tag,
      tagId: tag,
      contactId: contact,
      sessionId: session,
      uuid: uuidOf(tag),
    };
    const gets = operationsOf(document).filter(({ method }) => method === 'get');
    expect(gets.length).toBeGreaterThan(10);
    for (const { path, operation } of gets) {
      if (path.includes('{jobId}')) continue; // no job to read; its 404 is above
      const id = path.startsWith('/exports/')
        ? exported.id
        : path.startsWith('/contacts/')
          ? contact
          : path.startsWith('/sessions/')
            ? session
            : path.startsWith('/webhooks/endpoints/')
              ? endpoint.id
              : undefined;
      const concrete = path
        .replace('/v1/conversations/{uuid}', `/v1/conversations/${uuidOf(session)}`)
        .replace('{deliveryId}', delivery.id)
        .replace(/\{(\w+)\}/g, (_, name: string) => id ?? ids[name] ?? name);
      const query = new URLSearchParams({ _: '1700000000000', utm_source: 'x' });
      if (operation.parameters?.some((p) => 'name' in p && p.name === 'workspaceId'))
        query.set('workspaceId', String(us.ws.id));
      if (path.endsWith('/download')) await waitForExport(exported.id);
      const response = await fetch(`${server.url}/api${concrete}?${query}`, {
        headers: { authorization: `Bearer ${us.ws.apiKey}` },
      });
      expect([path, response.status, response.status === 200 || (await response.text())]).toEqual([path, 200, true]);
    }
    // tRPC reads and GraphQL queries alike.
    expect((await us.trpc('query', 'tags.get', { id: tag, _: 1 })).status).toBe(200);
    expect(
      (await us.trpc('query', 'entityTags.contactTags', { workspaceId: us.ws.id, contactId: contact, _: 1 })).status,
    ).toBe(200);
  });
});

async function waitForExport(id: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const view = (await us.rest('GET', `/api/exports/${id}`)).body as ContactExportView;
    if (view.status === 'done') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('6. one answer for one mistake: workspaceId on every Entity Tags route', () => {
  it('missing or not an integer is 400 with the issue path; another workspace stays 403', async () => {
    const tag = await us.newTag();
    const contact = await us.newContact();
    const session = await us.newSession(contact);
    const bodies: Record<string, unknown> = {
      'post /entity-tags/contacts/{contactId}/tags': { tagId: tag },
      'post /entity-tags/sessions/{sessionId}/tags': { tagId: tag },
      'post /entity-tags/bulk/tag': { tagId: tag, entities: [{ entityType: 'contact', entityId: contact }] },
      'post /entity-tags/bulk/untag': { tagId: tag, entities: [{ entityType: 'contact', entityId: contact }] },
    };
    const ids: Record<string, string> = { contactId: contact, sessionId: session, tagId: tag, jobId: 'job_x' };
    const routes = operationsOf(document).filter(({ path }) => path.startsWith('/entity-tags/'));
    expect(routes.length).toBe(11);
    for (const { path, method } of routes) {
      const url = `/api${path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? name)}`;
      const body = bodies[`${method} ${path}`];
      const label = `${method.toUpperCase()} ${path}`;
      for (const workspaceId of [undefined, 'abc', '1.5', '', '-1', '99999999999']) {
        const query = workspaceId === undefined ? '' : `?workspaceId=${encodeURIComponent(workspaceId)}`;
        const response = await us.rest(method.toUpperCase(), `${url}${query}`, body);
        expect([label, workspaceId, response.status]).toEqual([label, workspaceId, 400]);
        expect(response.body).toMatchObject({ code: 'VALIDATION_ERROR', issues: [{ path: ['workspaceId'] }] });
      }
      const forbidden = await us.rest(method.toUpperCase(), `${url}?workspaceId=${them.ws.id}`, body);
      expect([label, forbidden.status]).toEqual([label, 403]);
    }
  });

  it('the same over tRPC', async () => {
    const contact = await us.newContact();
    for (const workspaceId of ['abc', 1.5, undefined]) {
      const response = await us.trpc('query', 'entityTags.contactTags', { workspaceId, contactId: contact });
      expect([workspaceId, response.status]).toEqual([workspaceId, 400]);
    }
    expect(
      (await us.trpc('query', 'entityTags.contactTags', { workspaceId: them.ws.id, contactId: contact })).status,
    ).toBe(403);
  });
});

describe('7. duplicates in a list mean the item once', () => {
  it('an export and the contact list with tagIds [a, a] and match all return the contacts that have a', async () => {
    const a = await us.newTag();
    const b = await us.newTag();
    const withA = await us.newContact('has a');
    const withB = await us.newContact('has b');
    await us.rest('POST', `/api/tags/${a}/contacts/${withA}`);
    await us.rest('POST', `/api/tags/${b}/contacts/${withB}`);
    for (const tagIds of [
      [a, a],
      [a, uuidOf(a)],
      [a, uuidOf(a).toUpperCase(), a],
    ]) {
      const list = await us.rest('GET', `/api/contacts?tag_ids=${tagIds.join(',')}&tag_match=all`);
      expect([tagIds, list.body]).toMatchObject([tagIds, { contacts: [{ id: withA }], total: 1 }]);
      const excluded = await us.rest('GET', `/api/contacts?tag_ids=${a},${b}&exclude_tag_ids=${tagIds.join(',')}`);
      expect((excluded.body as { contacts: { id: string }[] }).contacts.map((c) => c.id)).toEqual([withB]);
      const created = (await us.rest('POST', '/api/exports', { format: 'jsonl', tagIds, tagMatch: 'all' }))
        .body as ContactExportView;
      await waitForExport(created.id);
      const file = await fetch(`${server.url}/api/exports/${created.id}/download`, {
        headers: { authorization: `Bearer ${us.ws.apiKey}` },
      });
      const rows = (await file.text())
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { id: string }).id);
      expect([tagIds, rows]).toEqual([tagIds, [withA]]);
    }
  });

  const twice = (tag: string) => [
    { id: tag, order: 5 },
    { id: uuidOf(tag), description: 'second' },
  ];

  it('bulkPatchTags naming one tag twice is a 400 naming both indexes, on REST', async () => {
    const tag = await us.newTag({ description: 'before' });
    const other = await us.newTag();
    const response = await us.rest('PATCH', '/api/tags/bulk', { patches: [{ id: other, order: 1 }, ...twice(tag)] });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      code: 'VALIDATION_ERROR',
      issues: [{ path: ['patches', 2, 'id'], message: expect.stringMatching(/patches 1 and 2/) }],
    });
    expect((await us.rest('GET', `/api/tags/${tag}`)).body).toMatchObject({ description: 'before' });
  });

  it('… on tRPC', async () => {
    const tag = await us.newTag();
    const response = await us.trpc('mutation', 'tags.bulkPatch', { patches: twice(tag) });
    expect(response.status).toBe(400);
    expect(response.error?.data?.issues).toEqual([
      { path: ['patches', 1, 'id'], message: expect.stringMatching(/patches 0 and 1/) },
    ]);
  });

  it('… and on GraphQL', async () => {
    const tag = await us.newTag();
    const response = await us.graphql({
      operationName: 'bulkPatchTags',
      variables: { input: { workspaceId: us.ws.id, patches: twice(tag) } },
      query: 'mutation bulkPatchTags($input: TagBulkPatchInput!) {\n bulkPatchTags(input: $input)\n}',
    });
    expect(response.body.errors?.[0]).toMatchObject({
      extensions: {
        code: 'VALIDATION_ERROR',
        issues: [{ path: ['patches', '1', 'id'], message: expect.stringMatching(/patches 0 and 1/) }],
      },
    });
    expect((await us.rest('GET', `/api/tags/${tag}`)).body).toMatchObject({ description: null });
  });
});

describe('new tags go last, also after a tag at the largest order (black-box attack, session 24)', () => {
  const largest = 2_147_483_647;
  const listed = async (calls: DialectCalls) =>
    ((await calls.rest('GET', '/api/tags?limit=100')).body as { tags: { id: string; order: number }[] }).tags;

  it('REST, Zapini and GraphQL create after it (ties at the largest order, sorted last by id)', async () => {
    const calls = dialectCalls(server, await server.newWorkspace('Largest order'));
    const top = await calls.newTag();
    expect((await calls.rest('PUT', `/api/tags/${top}`, { order: largest })).status).toBe(200);
    const rest = await calls.rest('POST', '/api/tags', { name: 'after REST' });
    expect(rest.status).toBe(201);
    expect(rest.body).toMatchObject({ order: largest });
    const zapini = await calls.zapini('POST', '/tags', { name: 'after Zapini', color: '#112233' });
    expect(zapini.status).toBe(201);
    const graphql = await calls.graphql({
      operationName: 'createTag',
      variables: { input: { workspaceId: calls.ws.id, type: 'client', tag: 'after GraphQL' } },
      query: 'mutation createTag($input: TagCreateInput!) {\n createTag(input: $input) {\n id\n order\n }\n}',
    });
    expect(graphql.body.errors).toBeUndefined();
    expect(graphql.body.data?.createTag).toMatchObject({ order: largest });
    const ids = (await listed(calls)).map((tag) => tag.id);
    expect(ids[0]).toBe(top);
    expect(ids).toHaveLength(4);
    expect(ids.at(-1)).toBe((graphql.body.data?.createTag as { id: string }).id);
  });

  it('the smallest order is created on every surface and a list pages past it (second attack, session 24)', async () => {
    const calls = dialectCalls(server, await server.newWorkspace('Smallest order'));
    const smallest = -2_147_483_648;
    expect((await calls.rest('POST', '/api/tags', { name: 'REST smallest', order: smallest })).status).toBe(201);
    expect((await calls.trpc('mutation', 'tags.create', { name: 'tRPC smallest', order: smallest })).status).toBe(200);
    const graphql = await calls.graphql({
      query: `mutation { createTag(input: { workspaceId: ${calls.ws.id}, type: client, tag: "GraphQL smallest", order: ${smallest} }) { order } }`,
    });
    expect(graphql.body).toEqual({ data: { createTag: { order: smallest } } });
    await calls.newTag();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await calls.rest('GET', `/api/tags?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      const body = page.body as { tags: { id: string }[]; nextCursor: string | null };
      seen.push(...body.tags.map((tag) => tag.id));
      cursor = body.nextCursor;
    } while (cursor !== null);
    expect(seen).toHaveLength(4);
  });

  it('the order just below the largest still gives the next one', async () => {
    const calls = dialectCalls(server, await server.newWorkspace('Below largest'));
    const top = await calls.newTag();
    await calls.rest('PUT', `/api/tags/${top}`, { order: largest - 1 });
    expect((await calls.rest('POST', '/api/tags', { name: 'next' })).body).toMatchObject({ order: largest });
  });
});

describe("GraphQL's nullable order (black-box attack, session 24)", () => {
  const bulkPatch = (calls: DialectCalls, patches: unknown[]) =>
    calls.graphql({
      operationName: 'bulkPatchTags',
      variables: { input: { workspaceId: calls.ws.id, patches } },
      query: 'mutation bulkPatchTags($input: TagBulkPatchInput!) {\n bulkPatchTags(input: $input)\n}',
    });

  it('bulkPatchTags takes order: null as not given (it keeps the order), as createTag does', async () => {
    const tag = await us.newTag({ order: 7 });
    const response = await bulkPatch(us, [{ id: tag, order: null, description: 'patched' }]);
    expect(response.body).toEqual({ data: { bulkPatchTags: true } });
    expect((await us.rest('GET', `/api/tags/${tag}`)).body).toMatchObject({ order: 7, description: 'patched' });
    expect((await bulkPatch(us, [{ id: tag, order: 3 }])).body).toEqual({ data: { bulkPatchTags: true } });
    expect((await us.rest('GET', `/api/tags/${tag}`)).body).toMatchObject({ order: 3, description: 'patched' });
  });

  it('/api/tags/bulk keeps refusing a null order (its schema says integer)', async () => {
    const tag = await us.newTag({ order: 7 });
    const response = await us.rest('PATCH', '/api/tags/bulk', { patches: [{ id: tag, order: null }] });
    expect(response.status).toBe(400);
    expect((await us.rest('GET', `/api/tags/${tag}`)).body).toMatchObject({ order: 7 });
  });
});
