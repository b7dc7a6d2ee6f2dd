import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { dialectCalls, uuidOf, type DialectCalls } from './support/dialect-calls.ts';
import {
  bcrumbsExamples,
  documentText,
  entityTagsExamples,
  expectLikeExample,
  jsonAt,
  withIds,
  zapiniExamples,
} from './support/document-examples.ts';

/**
 * "Every document's example requests run in the test suite as written (only host, key and ids
 * replaced: the server's ids, in every form accepted), and their responses are checked field by
 * field against the document's examples" (issue 15). The examples are read from the documents'
 * text (test/documents/); each runs once per id form, in a workspace of its own whose records
 * are arranged so that the document's numbers hold (3 sessions propagated, 15 conversations, …).
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const fresh = async (name: string): Promise<DialectCalls> => dialectCalls(server, await server.newWorkspace(name));

/** How a client sends one of our ids: each form issue 14 accepts. */
const forms = {
  prefixed: (id: string) => id,
  bare: (id: string) => uuidOf(id),
  'bare upper case': (id: string) => uuidOf(id).toUpperCase(),
} as const;
type Form = keyof typeof forms;
const inForm = (form: Form, ids: Record<string, string>) =>
  Object.fromEntries(Object.entries(ids).map(([key, id]) => [key, forms[form](id)]));

/**
 * Document 000 writes its request bodies as schemas: `"wtag_abc123 (required)"` is the id
 * `wtag_abc123`, `"boolean (optional, default: false)"` is `false`. What a client reading it
 * sends is the value each one describes.
 */
const asSent = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value), (_key, item: unknown) => {
    if (typeof item !== 'string') return item;
    const optional = /^boolean \(optional, default: (true|false)\)$/.exec(item);
    if (optional) return optional[1] === 'true';
    return item.replace(/ \(required\)$/, '');
  });

// ---- document 000: Entity Tags ------------------------------------------------------------

describe.each(Object.keys(forms) as Form[])('document 000 (Entity Tags), ids %s', (form) => {
  const examples = entityTagsExamples();
  const example = (title: string) => {
    const found = examples.find((e) => e.title === title);
    if (!found) throw new Error(`no example "${title}" in document 000`);
    return found;
  };
  const etag = [/^etag_/];

  it('has the ten endpoints this test runs', () => {
    expect(examples.map((e) => e.title)).toEqual([
      'Tag Contact',
      'Tag Session',
      'Get Contact Tags',
      'Get Session Tags',
      'Untag Contact',
      'Untag Session',
      'Sync Session Tags',
      'Query Entities by Tag',
      'Bulk Tag Entities',
      'Bulk Untag Entities',
    ]);
  });

  /** Sends a section's example with the document's ids as `ids` (in this form) and `{workspaceId}`. */
  async function send(api: DialectCalls, title: string, ids: Record<string, string>) {
    const { method, path, request } = example(title);
    const sentIds = inForm(form, ids);
    const url = withIds(path, sentIds)
      .replace(/:(\w+)/g, (_, name: string) => sentIds[`:${name}`] ?? `:${name}`)
      .replace('{workspaceId}', String(api.ws.id));
    return api.rest(method, url, request === undefined ? undefined : withIds(asSent(request), sentIds));
  }

  /** A contact with `sessions` linked sessions, and tags by the document's ids. */
  async function records(api: DialectCalls, sessions: number, tags: Record<string, Record<string, unknown>>) {
    const ids: Record<string, string> = {};
    for (const [documentId, fields] of Object.entries(tags)) ids[documentId] = await api.newTag(fields);
    ids.contact_123 = await api.newContact();
    const sessionIds = ['wses_abc', 'wses_def', 'wses_ghi'];
    for (let i = 0; i < sessions; i++) ids[sessionIds[i] ?? ''] = await api.newSession(ids.contact_123);
    return ids;
  }

  it('Tag Contact: POST /api/entity-tags/contacts/:contactId/tags', async () => {
    const api = await fresh('000 tag contact');
    const ids = await records(api, 3, { wtag_abc123: { name: 'Priority' } });
    const response = await send(api, 'Tag Contact', { ...ids, ':contactId': ids.contact_123 ?? '' });
    expect(response.status).toBe(201);
    expectLikeExample(response.body, example('Tag Contact').response, ids, etag);
  });

  it('Tag Session: POST /api/entity-tags/sessions/:sessionId/tags', async () => {
    const api = await fresh('000 tag session');
    const ids = { wtag_abc123: await api.newTag(), wses_abc: await api.newSession() };
    const response = await send(api, 'Tag Session', { ...ids, ':sessionId': ids.wses_abc });
    expect(response.status).toBe(201);
    expectLikeExample(response.body, example('Tag Session').response, ids, etag);
  });

  it('Get Contact Tags: GET /api/entity-tags/contacts/:contactId/tags', async () => {
    const api = await fresh('000 contact tags');
    const ids = await records(api, 0, { wtag_def456: { name: 'VIP Customer', color: '#FF5733' } });
    await api.rest('POST', `/api/tags/${ids.wtag_def456}/contacts/${ids.contact_123}`);
    const response = await send(api, 'Get Contact Tags', { ...ids, ':contactId': ids.contact_123 ?? '' });
    expect(response.status).toBe(200);
    expectLikeExample(response.body, example('Get Contact Tags').response, ids, [/^etag_/]);
  });

  it('Get Session Tags: GET /api/entity-tags/sessions/:sessionId/tags', async () => {
    const api = await fresh('000 session tags');
    const ids = await records(api, 1, {
      wtag_def456: { name: 'VIP Customer', color: '#FF5733' },
      wtag_ghi012: { name: 'Follow Up', color: '#33FF57' },
    });
    const q = `?workspaceId=${api.ws.id}`;
    await api.rest('POST', `/api/entity-tags/sessions/${ids.wses_abc}/tags${q}`, { tagId: ids.wtag_def456 });
    await api.rest('POST', `/api/entity-tags/contacts/${ids.contact_123}/tags${q}`, { tagId: ids.wtag_ghi012 });
    const response = await send(api, 'Get Session Tags', { ...ids, ':sessionId': ids.wses_abc ?? '' });
    expect(response.status).toBe(200);
    expectLikeExample(response.body, example('Get Session Tags').response, ids, [/^etag_/]);
  });

  it('Untag Contact: DELETE /api/entity-tags/contacts/:contactId/tags/:tagId', async () => {
    const api = await fresh('000 untag contact');
    const ids = await records(api, 3, { wtag_abc123: {} });
    await api.rest('POST', `/api/tags/${ids.wtag_abc123}/contacts/${ids.contact_123}`);
    const response = await send(api, 'Untag Contact', {
      ...ids,
      ':contactId': ids.contact_123 ?? '',
      ':tagId': ids.wtag_abc123 ?? '',
    });
    expect(response.status).toBe(200);
    expectLikeExample(response.body, example('Untag Contact').response, ids);
  });

  it('Untag Session: DELETE /api/entity-tags/sessions/:sessionId/tags/:tagId', async () => {
    const api = await fresh('000 untag session');
    const ids = { wtag_abc123: await api.newTag(), wses_abc: await api.newSession() };
    await api.rest('POST', `/api/entity-tags/sessions/${ids.wses_abc}/tags?workspaceId=${api.ws.id}`, {
      tagId: ids.wtag_abc123,
    });
    const response = await send(api, 'Untag Session', {
      ...ids,
      ':sessionId': ids.wses_abc,
      ':tagId': ids.wtag_abc123,
    });
    expect(response.status).toBe(200);
    expectLikeExample(response.body, example('Untag Session').response, ids);
  });

  it('Sync Session Tags: POST /api/entity-tags/sessions/:sessionId/sync-tags (no body, as written)', async () => {
    const api = await fresh('000 sync');
    const ids = await records(api, 1, { wtag_abc123: {}, wtag_def456: {} });
    await api.rest('POST', `/api/tags/${ids.wtag_abc123}/contacts/${ids.contact_123}`);
    await api.rest('POST', `/api/tags/${ids.wtag_def456}/contacts/${ids.contact_123}`);
    // Two inherited rows lost behind the service's back: sync puts them back.
    await server.db
      .fork()
      .execute(`delete from entity_tag where workspace_id = ? and entity_id = ?`, [api.ws.id, ids.wses_abc]);
    const response = await send(api, 'Sync Session Tags', { ...ids, ':sessionId': ids.wses_abc ?? '' });
    expect(response.status).toBe(200);
    expectLikeExample(response.body, example('Sync Session Tags').response, ids);
  });

  it('Query Entities by Tag: GET /api/entity-tags/tags/:tagId/entities', async () => {
    const api = await fresh('000 entities');
    const ids = await records(api, 1, { wtag_abc123: {} });
    await api.rest('POST', `/api/tags/${ids.wtag_abc123}/contacts/${ids.contact_123}`);
    const response = await send(api, 'Query Entities by Tag', { ...ids, ':tagId': ids.wtag_abc123 ?? '' });
    expect(response.status).toBe(200);
    expectLikeExample(response.body, example('Query Entities by Tag').response, ids);
  });

  it('Bulk Tag Entities and Bulk Untag Entities: POST /api/entity-tags/bulk/tag, /bulk/untag', async () => {
    const api = await fresh('000 bulk');
    const ids = {
      wtag_abc123: await api.newTag(),
      contact_123: await api.newContact(),
      wses_abc: await api.newSession(),
    };
    const tagged = await send(api, 'Bulk Tag Entities', ids);
    expect(tagged.status).toBe(200);
    expectLikeExample(tagged.body, example('Bulk Tag Entities').response, ids);
    // The document shows no response for untag: it is the tag response's counterpart.
    const untagged = await send(api, 'Bulk Untag Entities', ids);
    expect(untagged.status).toBe(200);
    expect(untagged.body).toMatchObject({ success: true, untagged: 2, skipped: 0, errors: [] });
  });

  it('the document’s own ids, sent as written, are 404 (its error table: entity or tag not found)', async () => {
    const api = await fresh('000 as written');
    const response = await send(api, 'Tag Contact', { ':contactId': 'contact_123' });
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 'NOT_FOUND' });
  });
});

// ---- document 001: contact tags -----------------------------------------------------------

describe.each(Object.keys(forms) as Form[])('document 001 (contact tags), ids %s', (form) => {
  const text = documentText('001');
  const createExample = jsonAt(text, text.indexOf('// POST /api/tags')).value as Record<string, string>;
  const listExample = /GET (\/api\/contacts\?tag_ids=[^\s]+)/.exec(text)?.[1] ?? '';
  const send = (id: string) => forms[form](id);

  it('creates, updates and deletes a tag as the document writes it', async () => {
    const api = await fresh('001 tags');
    const created = await api.rest('POST', '/api/tags', createExample);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject(createExample);
    const id = (created.body as { id: string }).id;
    for (const change of [{ name: 'VIP+' }, { color: '#FF5733' }, { emoji: '🔥' }]) {
      const updated = await api.rest('PUT', `/api/tags/${send(id)}`, change);
      expect(updated.body).toMatchObject(change);
    }
    const contact = await api.newContact();
    await api.rest('POST', `/api/tags/${send(id)}/contacts/${send(contact)}`);
    expect((await api.rest('DELETE', `/api/tags/${send(id)}`)).status).toBe(200);
    expect((await api.rest('GET', `/api/tags/${send(id)}`)).status).toBe(404);
    const contactTags = await api.rest('GET', `/api/entity-tags/contacts/${contact}/tags?workspaceId=${api.ws.id}`);
    expect(contactTags.body).toEqual({ tags: [] });
  });

  it('assigns idempotently and removes; both need the tag and the contact of the workspace (404)', async () => {
    const api = await fresh('001 assign');
    const [tag, contact] = [await api.newTag(), await api.newContact()];
    for (let i = 0; i < 2; i++) {
      const response = await api.rest('POST', `/api/tags/${send(tag)}/contacts/${send(contact)}`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ success: true, changed: i === 0 });
    }
    expect((await api.rest('DELETE', `/api/tags/${send(tag)}/contacts/${send(contact)}`)).body).toMatchObject({
      success: true,
      changed: true,
    });
    const other = await fresh('001 other');
    const theirContact = await other.newContact();
    expect((await api.rest('POST', `/api/tags/${send(tag)}/contacts/${send(theirContact)}`)).status).toBe(404);
  });

  it(`filters ${listExample} with an ANY match and counts each contact once`, async () => {
    const api = await fresh('001 filter');
    const tags = [await api.newTag(), await api.newTag(), await api.newTag()];
    const [both, one, none] = [await api.newContact(), await api.newContact(), await api.newContact()];
    for (const tag of tags.slice(0, 2)) await api.rest('POST', `/api/tags/${tag}/contacts/${both}`);
    await api.rest('POST', `/api/tags/${tags[2]}/contacts/${one}`);
    const ids = { 'uuid-1': send(tags[0] ?? ''), 'uuid-2': send(tags[1] ?? ''), 'uuid-3': send(tags[2] ?? '') };
    const response = await api.rest('GET', withIds(listExample, ids));
    expect(response.status).toBe(200);
    const page = response.body as { contacts: { id: string }[]; total: number };
    expect(page.contacts.map((c) => c.id).sort()).toEqual([both, one].sort());
    expect(page.total).toBe(2);
    expect(page.contacts.map((c) => c.id)).not.toContain(none);
  });

  it('exports only the contacts that match tagIds', async () => {
    const api = await fresh('001 export');
    const [tag, tagged, untagged] = [await api.newTag(), await api.newContact(), await api.newContact()];
    await api.rest('POST', `/api/tags/${tag}/contacts/${tagged}`);
    const created = await api.rest('POST', '/api/exports', { format: 'jsonl', tagIds: [send(tag)] });
    expect(created.status).toBe(202);
    const id = (created.body as { id: string }).id;
    for (let i = 0; i < 500; i++) {
      if (((await api.rest('GET', `/api/exports/${send(id)}`)).body as { status: string }).status === 'done') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const file = await fetch(`${server.url}/api/exports/${send(id)}/download`, {
      headers: { authorization: `Bearer ${api.ws.apiKey}` },
    });
    const rows = (await file.text()).trim().split('\n');
    expect(rows.map((row) => (JSON.parse(row) as { id: string }).id)).toEqual([tagged]);
    expect(rows.join('')).not.toContain(untagged);
  });
});

// ---- document 002: Zapini -----------------------------------------------------------------

describe.each(Object.keys(forms) as Form[])('document 002 (Zapini), ids %s', (form) => {
  const examples = zapiniExamples();
  const example = (title: string) => {
    const found = examples.find((e) => e.title === title);
    if (!found) throw new Error(`no example "${title}" in document 002`);
    return found;
  };
  const send = (id: string) => forms[form](id);
  /** Zapini's ids are bare UUIDs: the document's `550e8400-…` stand for the server's. */
  const bare = (ids: Record<string, string>) =>
    Object.fromEntries(Object.entries(ids).map(([key, id]) => [key, uuidOf(id)]));
  const documentUuid = (n: number) => `550e8400-e29b-41d4-a716-${446_655_440_000 + n}`;

  it('has the six routes this test runs', () => {
    expect(examples.map((e) => e.title)).toEqual([
      'GET /tags',
      'POST /tags',
      'GET /tags/{uuid}',
      'PATCH /tags/{uuid}',
      'DELETE /tags/{uuid}',
      'PUT /conversations/{uuid}/tags',
    ]);
  });

  it('GET /tags: VIP with its 15 conversations', async () => {
    const api = await fresh('002 list');
    const vip = await api.newTag({ name: 'VIP', color: '#f59e0b' });
    const conversations = await Promise.all(Array.from({ length: 15 }, () => api.newSession()));
    await api.rest('POST', `/api/entity-tags/bulk/tag?workspaceId=${api.ws.id}`, {
      tagId: vip,
      entities: conversations.map((entityId) => ({ entityType: 'session', entityId })),
    });
    const response = await api.zapini('GET', `/tags`);
    expect(response.status).toBe(200);
    expectLikeExample(response.body, example('GET /tags').response, bare({ [documentUuid(1)]: vip }));
  });

  it('POST /tags as the curl example sends it', async () => {
    const api = await fresh('002 create');
    const response = await api.zapini('POST', '/tags', example('POST /tags').request);
    expect(response.status).toBe(201);
    const id = (response.body as { data: { tag: { id: string } } }).data.tag.id;
    expectLikeExample(response.body, example('POST /tags').response, { [documentUuid(3)]: id });
  });

  it('GET, PATCH and DELETE /tags/{uuid}', async () => {
    const api = await fresh('002 one tag');
    const tag = await api.newTag({ name: 'Support', color: '#3b82f6' });
    const read = await api.zapini('GET', `/tags/${send(tag)}`);
    expect(read.body).toMatchObject({ success: true, data: { tag: { id: uuidOf(tag), name: 'Support' } } });
    const patched = await api.zapini('PATCH', `/tags/${send(tag)}`, { name: 'Help', color: '#10b981' });
    expect(patched.body).toMatchObject({ success: true, data: { tag: { name: 'Help', color: '#10b981' } } });
    expect((await api.zapini('DELETE', `/tags/${send(tag)}`)).body).toMatchObject({ success: true });
    expect((await api.zapini('GET', `/tags/${send(tag)}`)).status).toBe(404);
  });

  it('PUT /conversations/{uuid}/tags as the curl example sends it; {"tag_ids": []} removes all', async () => {
    const api = await fresh('002 replace');
    const vip = await api.newTag({ name: 'VIP', color: '#f59e0b' });
    const support = await api.newTag({ name: 'Support', color: '#3b82f6' });
    const conversation = await api.newSession();
    const { path, request, response } = example('PUT /conversations/{uuid}/tags');
    const documentIds = { [documentUuid(1)]: vip, [documentUuid(2)]: support, [documentUuid(45)]: conversation };
    const sent = Object.fromEntries(Object.entries(documentIds).map(([key, id]) => [key, send(id)]));
    const url = path.replace('{uuid}', sent[documentUuid(45)] ?? '');
    const answer = await api.zapini('PUT', url, withIds(request, sent));
    expect(answer.status).toBe(200);
    expectLikeExample(answer.body, response, bare(documentIds));
    const cleared = await api.zapini('PUT', url, { tag_ids: [] });
    expect(cleared.body).toMatchObject({ success: true, data: { tags: [] } });
  });
});

// ---- document 003: bcrumbs GraphQL --------------------------------------------------------

describe.each(Object.keys(forms) as Form[])('document 003 (bcrumbs GraphQL), ids %s', (form) => {
  const examples = bcrumbsExamples();
  const example = (operationName: string) => {
    const found = examples.find((e) => e.operationName === operationName);
    if (!found) throw new Error(`no example ${operationName} in document 003`);
    return found;
  };
  /** The document's workspace (12) is ours; its placeholder type `VALUE` (response: `conv`) a real one. */
  const asOurs = (request: Record<string, unknown>, workspaceId: number, type = 'conversation') =>
    JSON.parse(
      JSON.stringify(request)
        .replaceAll('"workspaceId":12', `"workspaceId":${workspaceId}`)
        .replaceAll('"VALUE"', `"${type}"`),
    ) as Record<string, unknown>;
  const typeAsServed = (response: unknown) =>
    JSON.parse(JSON.stringify(response).replaceAll('"conv"', '"conversation"')) as unknown;

  it('has the three operations this test runs', () => {
    expect(examples.map((e) => e.operationName)).toEqual(['tags', 'createTag', 'bulkPatchTags']);
  });

  it('createTag, then tags: the curl bodies as written, answered as the document shows', async () => {
    const api = await fresh('003 create');
    const created = await api.graphql(asOurs(example('createTag').request, api.ws.id));
    expect(created.status).toBe(200);
    const id = (created.body.data?.createTag as { id: string }).id;
    expectLikeExample(created.body, typeAsServed(example('createTag').response), { id_123: id });
    const listed = await api.graphql(asOurs(example('tags').request, api.ws.id));
    expectLikeExample(listed.body, typeAsServed(example('tags').response), { id_123: id });
  });

  it('bulkPatchTags with the document’s item_1 replaced by a tag’s id', async () => {
    const api = await fresh('003 patch');
    const tag = await api.newTag();
    const request = withIds(asOurs(example('bulkPatchTags').request, api.ws.id), { item_1: forms[form](tag) });
    const response = await api.graphql(request);
    expectLikeExample(response.body, example('bulkPatchTags').response, {});
  });

  it('as written (placeholders kept): VALUE is not a TagType, item_1 names no tag', async () => {
    const api = await fresh('003 as written');
    const asWritten = (operationName: string) =>
      JSON.parse(
        JSON.stringify(example(operationName).request).replaceAll('"workspaceId":12', `"workspaceId":${api.ws.id}`),
      ) as Record<string, unknown>;
    const created = await api.graphql(asWritten('createTag'));
    expect(created.body.errors?.[0]?.message).toMatch(/VALUE/);
    const patched = await api.graphql(asWritten('bulkPatchTags'));
    expect(patched.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
