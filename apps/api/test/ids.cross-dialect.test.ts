import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulkTagResult, Tag } from '@tagging/contracts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { dialectCalls, idForms, uuidOf, type DialectCalls } from './support/dialect-calls.ts';

/**
 * Issue 14, "Ids": every route takes a record's id prefixed or bare, in any letter case; an id
 * that names no record of the caller's workspace, whatever its shape, is not found (404, a
 * per-entity NOT_FOUND in bulk, NOT_FOUND in GraphQL); 400 only for a missing id, a non-string
 * or one over 255 characters. Zapini answers with bare UUIDs; the other dialects keep prefixes.
 */
let server: TestServer;
let us: DialectCalls;
let them: DialectCalls;

beforeAll(async () => {
  server = await startTestServer();
  us = dialectCalls(server, await server.newWorkspace('Ids'));
  them = dialectCalls(server, await server.newWorkspace('Others'));
});
afterAll(() => server.close());

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const unknownUuid = '01a20800-0000-7000-8000-00000000beef';
/** Ids of nothing, of every shape a client may send: the document's own, wrong prefix, unknown. */
const wrongShapes = ['contact_123', 'wtag_abc123', 'nope', `wses_${unknownUuid}`, unknownUuid, 'x'.repeat(255)];

describe('the rows of the issue’s table', () => {
  it('POST /api/entity-tags/contacts/contact_123/tags?workspaceId=… is 404 not found', async () => {
    const tag = await us.newTag();
    const response = await us.rest('POST', `/api/entity-tags/contacts/contact_123/tags?workspaceId=${us.ws.id}`, {
      tagId: tag,
    });
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('GET /api/v1/tags/<bare uuid of an existing tag> is 200 with that tag', async () => {
    const tag = await us.newTag({ name: 'Bare', color: '#112233' });
    const response = await us.zapini('GET', `/tags/${uuidOf(tag)}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      success: true,
      data: { tag: { id: uuidOf(tag), name: 'Bare', color: '#112233' } },
    });
  });
});

describe('whitespace around an id (attack of session 23: it was trimmed, and a padded DELETE deleted the tag)', () => {
  it('names no record on any dialect, and a delete deletes nothing', async () => {
    const tag = await us.newTag();
    const padded = [` ${tag}`, `${tag}\n`, `\r\n${tag}`, `\u00a0${tag}`, `${tag}\ufeff`, `\t${uuidOf(tag)}`];
    for (const id of padded) {
      const shown = JSON.stringify(id);
      expect((await us.rest('DELETE', `/api/tags/${encodeURIComponent(id)}`)).status, shown).toBe(404);
      expect((await us.rest('GET', `/api/tags/${encodeURIComponent(id)}`)).status, shown).toBe(404);
      expect((await us.zapini('DELETE', `/tags/${encodeURIComponent(id)}`)).status, shown).toBe(404);
      expect((await us.trpc('query', 'tags.get', { id })).status, shown).toBe(404);
    }
    expect((await us.rest('GET', `/api/tags/${tag}`)).status).toBe(200);
  });
});

describe('REST /api', () => {
  it('finds a tag, a contact and a session by every id form', async () => {
    const tag = await us.newTag();
    const contact = await us.newContact();
    const session = await us.newSession(contact);
    for (const [form, id] of Object.entries(idForms(tag))) {
      const response = await us.rest('GET', `/api/tags/${id}`);
      expect([form, response.status, (response.body as Tag).id]).toEqual([form, 200, tag]);
    }
    for (const [form, id] of Object.entries(idForms(contact)))
      expect([form, (await us.rest('GET', `/api/contacts/${id}`)).body]).toMatchObject([form, { id: contact }]);
    for (const [form, id] of Object.entries(idForms(session)))
      expect([form, (await us.rest('GET', `/api/sessions/${id}`)).body]).toMatchObject([form, { id: session }]);
  });

  it('writes through every id form, in the path and in the body', async () => {
    const tag = await us.newTag();
    const contact = await us.newContact();
    for (const [form, id] of Object.entries(idForms(tag)))
      expect([form, (await us.rest('PUT', `/api/tags/${id}`, { description: form })).status]).toEqual([form, 200]);
    const assigned = await us.rest('POST', `/api/tags/${uuidOf(tag)}/contacts/${uuidOf(contact).toUpperCase()}`);
    expect(assigned.body).toMatchObject({ success: true, changed: true });
    const session = (await us.rest('POST', '/api/sessions', { contactId: uuidOf(contact) })).body as {
      id: string;
      contactId: string;
    };
    expect(session.contactId).toBe(contact);
    const filtered = await us.rest('GET', `/api/contacts?tag_ids=${uuidOf(tag)},${tag}&tag_match=all`);
    expect(filtered.body).toMatchObject({ contacts: [{ id: contact }], total: 1 });
  });

  it('is 404 for an id of nothing whatever its shape, and for another workspace’s id in any form', async () => {
    const theirs = await them.newTag();
    for (const id of [...wrongShapes, ...Object.values(idForms(theirs))]) {
      for (const [method, body] of [
        ['GET', undefined],
        ['PUT', { description: 'x' }],
        ['DELETE', undefined],
      ] as const) {
        const response = await us.rest(method, `/api/tags/${encodeURIComponent(id)}`, body);
        expect([id, method, response.status]).toEqual([id, method, 404]);
      }
    }
    expect((await them.rest('GET', `/api/tags/${theirs}`)).status).toBe(200);
  });

  it('is 400 for an id that is missing, not a string or longer than 255 characters', async () => {
    const contact = await us.newContact();
    const base = `/api/entity-tags/contacts/${contact}/tags?workspaceId=${us.ws.id}`;
    for (const body of [
      {},
      { tagId: 42 },
      { tagId: null },
      { tagId: ['wtag_x'] },
      { tagId: '' },
      { tagId: 'x'.repeat(256) },
    ]) {
      const response = await us.rest('POST', base, body);
      expect([body, response.status]).toEqual([body, 400]);
      expect(response.body).toMatchObject({ code: 'VALIDATION_ERROR', issues: [{ path: ['tagId'] }] });
    }
    expect((await us.rest('GET', `/api/tags/${'x'.repeat(256)}`)).status).toBe(400);
  });
});

describe('Entity Tags', () => {
  it('tags, reads and untags with bare and upper-case ids; answers keep the prefixed form', async () => {
    const tag = await us.newTag();
    const contact = await us.newContact();
    const session = await us.newSession(contact);
    const q = `?workspaceId=${us.ws.id}`;
    const tagged = await us.rest('POST', `/api/entity-tags/contacts/${uuidOf(contact)}/tags${q}`, {
      tagId: uuidOf(tag).toUpperCase(),
    });
    expect(tagged.status).toBe(201);
    expect(tagged.body).toMatchObject({ contactTag: { entityId: contact, tagId: tag }, propagatedToSessions: 1 });
    const read = await us.rest('GET', `/api/entity-tags/sessions/${uuidOf(session)}/tags${q}`);
    expect(read.body).toMatchObject({ tags: [{ tag: { id: tag }, sourceType: 'inherited', sourceEntityId: contact }] });
    const entities = await us.rest('GET', `/api/entity-tags/tags/${uuidOf(tag)}/entities${q}`);
    expect((entities.body as { entities: unknown[] }).entities).toHaveLength(2);
    const untagged = await us.rest(
      'DELETE',
      `/api/entity-tags/contacts/${contact.toUpperCase()}/tags/${uuidOf(tag)}${q}`,
    );
    expect(untagged.body).toEqual({ success: true, removedFromSessions: 1 });
  });

  it('is 404 on single routes and a per-entity NOT_FOUND in bulk for ids of nothing', async () => {
    const tag = await us.newTag();
    const contact = await us.newContact();
    const theirContact = await them.newContact();
    const q = `?workspaceId=${us.ws.id}`;
    for (const id of [...wrongShapes, theirContact, uuidOf(theirContact)]) {
      const path = encodeURIComponent(id);
      expect([
        id,
        (await us.rest('POST', `/api/entity-tags/contacts/${path}/tags${q}`, { tagId: tag })).status,
      ]).toEqual([id, 404]);
      expect([id, (await us.rest('GET', `/api/entity-tags/contacts/${path}/tags${q}`)).status]).toEqual([id, 404]);
      expect([
        id,
        (await us.rest('POST', `/api/entity-tags/contacts/${contact}/tags${q}`, { tagId: id })).status,
      ]).toEqual([id, 404]);
    }
    const bulk = await us.rest('POST', `/api/entity-tags/bulk/tag${q}`, {
      tagId: uuidOf(tag),
      entities: [
        { entityType: 'contact', entityId: uuidOf(contact) },
        { entityType: 'contact', entityId: 'contact_123' },
        { entityType: 'session', entityId: contact },
        { entityType: 'contact', entityId: theirContact },
      ],
    });
    expect(bulk.status).toBe(200);
    const result = bulk.body as BulkTagResult;
    expect(result).toMatchObject({ success: true, tagged: 1 });
    expect(result.errors.map((error) => [error.index, error.code])).toEqual([
      [1, 'NOT_FOUND'],
      [2, 'NOT_FOUND'],
      [3, 'NOT_FOUND'],
    ]);
  });
});

describe('Zapini /api/v1', () => {
  it('answers with bare UUIDs for tags and conversations, and takes both forms', async () => {
    const created = await us.zapini('POST', '/tags', { name: 'Zap', color: '#abcdef' });
    const tag = (created.body as { data: { tag: { id: string } } }).data.tag.id;
    expect(tag).toMatch(uuidPattern);
    const listed = (await us.zapini('GET', '/tags')).body as { data: { tags: { id: string }[] } };
    expect(listed.data.tags.every((t) => uuidPattern.test(t.id))).toBe(true);
    const conversation = await us.newSession();
    for (const [form, id] of Object.entries(idForms(`wtag_${tag}`))) {
      const read = await us.zapini('GET', `/tags/${id}`);
      expect([form, read.status, (read.body as { data: { tag: { id: string } } }).data.tag.id]).toEqual([
        form,
        200,
        tag,
      ]);
    }
    for (const [form, id] of Object.entries(idForms(conversation))) {
      const put = await us.zapini('PUT', `/conversations/${id}/tags`, { tag_ids: [tag, `wtag_${tag}`.toUpperCase()] });
      expect([form, put.status]).toEqual([form, 200]);
      expect(put.body).toMatchObject({ data: { tags: [{ id: tag, name: 'Zap', color: '#abcdef' }] } });
    }
    const patched = await us.zapini('PATCH', `/tags/${tag.toUpperCase()}`, { name: 'Zapped' });
    expect(patched.body).toMatchObject({ data: { tag: { id: tag, name: 'Zapped' } } });
    // The other dialects keep the prefixed form of the same records.
    expect((await us.rest('GET', `/api/tags/${tag}`)).body).toMatchObject({ id: `wtag_${tag}` });
    const sessionTags = await us.rest('GET', `/api/entity-tags/sessions/${conversation}/tags?workspaceId=${us.ws.id}`);
    expect(sessionTags.body).toMatchObject({ tags: [{ tag: { id: `wtag_${tag}` } }] });
  });

  it('is 404 for ids of nothing, in its envelope, in messages with bare UUIDs', async () => {
    const theirs = await them.newTag();
    for (const id of [...wrongShapes, uuidOf(theirs)]) {
      const response = await us.zapini('GET', `/tags/${encodeURIComponent(id)}`);
      expect([id, response.status]).toEqual([id, 404]);
      expect(response.body).toMatchObject({ success: false });
    }
    // A UUID the client sent bare is not given a prefix in the answer.
    const message = ((await us.zapini('GET', `/tags/${uuidOf(theirs)}`)).body as { message: string }).message;
    expect(message).toContain(uuidOf(theirs));
    expect(message).not.toContain('wtag_');
    const unknownTag = await us.zapini('PUT', `/conversations/${await us.newSession()}/tags`, { tag_ids: ['nope'] });
    expect(unknownTag.status).toBe(404);
    expect(unknownTag.body).toMatchObject({ success: false, errors: { 'tag_ids.0': [expect.any(String)] } });
  });
});

describe('GraphQL /core/gq', () => {
  const bulkPatch = (workspaceId: number, patches: unknown[]) => ({
    operationName: 'bulkPatchTags',
    variables: { input: { workspaceId, patches } },
    query: 'mutation bulkPatchTags($input: TagBulkPatchInput!) {\n bulkPatchTags(input: $input)\n}',
  });

  it('patches a tag named by every id form; tags keep the prefixed form', async () => {
    const tag = await us.newTag();
    for (const [form, id] of Object.entries(idForms(tag))) {
      const response = await us.graphql(bulkPatch(us.ws.id, [{ id, description: form }]));
      expect([form, response.body]).toEqual([form, { data: { bulkPatchTags: true } }]);
      expect((await us.rest('GET', `/api/tags/${tag}`)).body).toMatchObject({ description: form });
    }
    const tags = await us.graphql({
      query: 'query($input: TagsInput!) { tags(input: $input) { nodes { id } } }',
      variables: { input: { workspaceId: us.ws.id } },
    });
    const nodes = (tags.body.data?.tags as { nodes: { id: string }[] }).nodes;
    expect(nodes.every((node) => node.id.startsWith('wtag_'))).toBe(true);
  });

  it('is NOT_FOUND for ids of nothing (the document’s own item_1 too), another workspace’s included', async () => {
    const theirs = await them.newTag();
    for (const id of ['item_1', ...wrongShapes, theirs, uuidOf(theirs)]) {
      const response = await us.graphql(bulkPatch(us.ws.id, [{ id, order: 1 }]));
      expect([id, response.body.errors?.[0]?.extensions?.code]).toEqual([id, 'NOT_FOUND']);
    }
    const tooLong = await us.graphql(bulkPatch(us.ws.id, [{ id: 'x'.repeat(256) }]));
    expect(tooLong.body.errors?.[0]?.extensions?.code).toBe('VALIDATION_ERROR');
  });
});

describe('tRPC /trpc', () => {
  it('takes every id form and answers with the prefixed form', async () => {
    const tag = await us.newTag();
    for (const [form, id] of Object.entries(idForms(tag))) {
      const response = await us.trpc('query', 'tags.get', { id });
      expect([form, response.status, (response.data as Tag).id]).toEqual([form, 200, tag]);
    }
  });

  it('is NOT_FOUND (404) for ids of nothing, BAD_REQUEST (400) for structurally wrong ones', async () => {
    for (const id of wrongShapes) {
      const response = await us.trpc('query', 'tags.get', { id });
      expect([id, response.status, response.error?.data?.errorCode]).toEqual([id, 404, 'NOT_FOUND']);
    }
    for (const id of [42, null, '', 'x'.repeat(256)]) {
      const response = await us.trpc('query', 'tags.get', { id });
      expect([id, response.status]).toEqual([id, 400]);
    }
  });
});
