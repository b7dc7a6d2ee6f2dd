import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '@tagging/domain';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { dialectCalls, uuidOf, type DialectCalls } from './support/dialect-calls.ts';

/**
 * Who did it (issue 19): every way of applying a tag records the API key of the call on the row
 * it writes, every way of creating or changing a tag records the key on the tag, and the reads
 * return them. Two keys of one workspace take turns so that each record can only come from the
 * call that made it.
 */
let server: TestServer;
/** The workspace's first key (admin) and a second one (write), with their key ids. */
let first: DialectCalls;
let second: DialectCalls;
let firstId: string;
let secondId: string;

type Row = { tag: { id: string }; sourceType: string; appliedByKeyId: string | null };
type TagRead = { createdByKeyId: string | null; updatedByKeyId: string | null };

beforeAll(async () => {
  server = await startTestServer();
  const ws = await server.newWorkspace('Who');
  const secondKey = await createApiKey(server.db.fork(), ws.id, { name: 'second', scope: 'write' });
  first = dialectCalls(server, ws);
  second = dialectCalls(server, { id: ws.id, apiKey: secondKey.secret });
  secondId = secondKey.id;
  const keys = (await first.rest('GET', '/api/api-keys')).body as { apiKeys: { id: string; hint: string }[] };
  firstId = keys.apiKeys.find((key) => key.hint === ws.apiKey.slice(0, 8))?.id ?? '';
  expect(firstId).toMatch(/^key_/);
});
afterAll(() => server.close());

const tagRead = async (id: string) => (await first.rest('GET', `/api/tags/${id}`)).body as TagRead;
const rowsOf = async (api: DialectCalls, entity: 'contacts' | 'sessions', id: string) =>
  ((await api.rest('GET', `/api/entity-tags/${entity}/${id}/tags?workspaceId=${api.ws.id}`)).body as { tags: Row[] })
    .tags;
const appliedBy = async (entity: 'contacts' | 'sessions', id: string, tagId: string) => {
  const row = (await rowsOf(first, entity, id)).find((r) => r.tag.id === tagId);
  return row ? { sourceType: row.sourceType, appliedByKeyId: row.appliedByKeyId } : undefined;
};

describe('tags record who created and last changed them', () => {
  it('over REST and tRPC', async () => {
    const id = await second.newTag();
    expect(await tagRead(id)).toMatchObject({ createdByKeyId: secondId, updatedByKeyId: secondId });
    expect((await first.rest('PUT', `/api/tags/${id}`, { color: 'red' })).status).toBe(200);
    expect(await tagRead(id)).toMatchObject({ createdByKeyId: secondId, updatedByKeyId: firstId });
    expect((await second.rest('PATCH', '/api/tags/bulk', { patches: [{ id, order: 7 }] })).status).toBe(200);
    expect(await tagRead(id)).toMatchObject({ createdByKeyId: secondId, updatedByKeyId: secondId });
    const overTrpc = await first.trpc('mutation', 'tags.create', { name: 'over tRPC' });
    expect(overTrpc.data).toMatchObject({ createdByKeyId: firstId, updatedByKeyId: firstId });
    const listed = (await second.trpc('query', 'tags.list', {})).data as { tags: ({ id: string } & TagRead)[] };
    expect(listed.tags.find((tag) => tag.id === id)).toMatchObject({ createdByKeyId: secondId });
  });

  it('over Zapini and GraphQL (their documents show no such fields: read back over REST)', async () => {
    const created = await first.zapini('POST', '/tags', { name: 'Zapini who', color: '#123456' });
    const id = `wtag_${(created.body as { data: { tag: { id: string } } }).data.tag.id}`;
    expect(await tagRead(id)).toMatchObject({ createdByKeyId: firstId, updatedByKeyId: firstId });
    expect((await second.zapini('PATCH', `/tags/${uuidOf(id)}`, { name: 'Zapini who 2' })).status).toBe(200);
    expect(await tagRead(id)).toMatchObject({ createdByKeyId: firstId, updatedByKeyId: secondId });

    const made = await second.graphql({
      query: 'mutation($input: TagCreateInput!) { createTag(input: $input) { id } }',
      variables: { input: { workspaceId: second.ws.id, tag: 'GraphQL who', type: 'common' } },
    });
    const graphId = (made.body.data?.createTag as { id: string }).id;
    const restId = graphId.startsWith('wtag_') ? graphId : `wtag_${graphId}`;
    expect(await tagRead(restId)).toMatchObject({ createdByKeyId: secondId, updatedByKeyId: secondId });
    const patched = await first.graphql({
      query: 'mutation($input: TagBulkPatchInput!) { bulkPatchTags(input: $input) }',
      variables: { input: { workspaceId: first.ws.id, patches: [{ id: graphId, order: 3 }] } },
    });
    expect(patched.body.errors).toBeUndefined();
    expect(await tagRead(restId)).toMatchObject({ createdByKeyId: secondId, updatedByKeyId: firstId });
  });
});

describe('entity tags record the key that applied them', () => {
  it('a contact’s tag carries its key; the sessions that inherit it carry none; a session’s own, its key', async () => {
    const tag = await first.newTag();
    const contact = await first.newContact();
    const session = await first.newSession(contact);
    const tagged = await second.rest('POST', `/api/entity-tags/contacts/${contact}/tags?workspaceId=${second.ws.id}`, {
      tagId: tag,
    });
    expect(tagged.body).toMatchObject({ contactTag: { appliedByKeyId: secondId } });
    expect(await appliedBy('contacts', contact, tag)).toEqual({ sourceType: 'direct', appliedByKeyId: secondId });
    expect(await appliedBy('sessions', session, tag)).toEqual({ sourceType: 'inherited', appliedByKeyId: null });

    // The session's inherited row turns direct: now it is the first key's doing.
    const direct = await first.rest('POST', `/api/entity-tags/sessions/${session}/tags?workspaceId=${first.ws.id}`, {
      tagId: tag,
    });
    expect(direct.body).toMatchObject({ sessionTag: { appliedByKeyId: firstId } });
    expect(await appliedBy('sessions', session, tag)).toEqual({ sourceType: 'direct', appliedByKeyId: firstId });

    // Untagged, it falls back to what the contact gives it: nobody applied that to the session.
    await second.rest('DELETE', `/api/entity-tags/sessions/${session}/tags/${tag}?workspaceId=${second.ws.id}`);
    expect(await appliedBy('sessions', session, tag)).toEqual({ sourceType: 'inherited', appliedByKeyId: null });

    const entities = (await first.rest('GET', `/api/entity-tags/tags/${tag}/entities?workspaceId=${first.ws.id}`))
      .body as { entities: { entityId: string; appliedByKeyId: string | null }[] };
    expect(entities.entities.map((entity) => [entity.entityId, entity.appliedByKeyId]).sort()).toEqual(
      [
        [contact, secondId],
        [session, null],
      ].sort(),
    );
  });

  it('a session tagged with propagateToContact gives its contact a row carrying the key', async () => {
    const tag = await first.newTag();
    const contact = await first.newContact();
    const session = await first.newSession(contact);
    const other = await first.newSession(contact);
    const response = await second.trpc('mutation', 'entityTags.tagSession', {
      workspaceId: second.ws.id,
      sessionId: session,
      tagId: tag,
      propagateToContact: true,
    });
    expect(response.data).toMatchObject({ sessionTag: { appliedByKeyId: secondId }, propagatedToContact: true });
    expect(await appliedBy('contacts', contact, tag)).toEqual({ sourceType: 'inherited', appliedByKeyId: secondId });
    expect(await appliedBy('sessions', other, tag)).toEqual({ sourceType: 'inherited', appliedByKeyId: null });
  });

  it('document 001’s assignment, bulk tagging and Zapini’s replace-all record the key too', async () => {
    const tag = await first.newTag();
    const contact = await first.newContact();
    const session = await first.newSession();
    const sessionForZapini = await first.newSession();
    expect((await second.rest('POST', `/api/tags/${tag}/contacts/${contact}`)).status).toBe(200);
    expect(await appliedBy('contacts', contact, tag)).toEqual({ sourceType: 'direct', appliedByKeyId: secondId });

    const bulk = await first.rest('POST', `/api/entity-tags/bulk/tag?workspaceId=${first.ws.id}`, {
      tagId: tag,
      entities: [{ entityType: 'session', entityId: session }],
    });
    expect(bulk.status).toBe(200);
    expect(await appliedBy('sessions', session, tag)).toEqual({ sourceType: 'direct', appliedByKeyId: firstId });

    const replaced = await second.zapini('PUT', `/conversations/${uuidOf(sessionForZapini)}/tags`, {
      tag_ids: [uuidOf(tag)],
    });
    expect(replaced.status).toBe(200);
    expect(await appliedBy('sessions', sessionForZapini, tag)).toEqual({
      sourceType: 'direct',
      appliedByKeyId: secondId,
    });
  });

  it('a merge keeps who applied each row; a revoked key stays on its records', async () => {
    const [kept, merged] = [await first.newTag(), await first.newTag()];
    const contact = await first.newContact();
    await second.rest('POST', `/api/tags/${merged}/contacts/${contact}`);
    expect((await first.rest('POST', `/api/tags/${kept}/merge`, { sourceTagIds: [merged] })).status).toBe(200);
    expect(await appliedBy('contacts', contact, kept)).toEqual({ sourceType: 'direct', appliedByKeyId: secondId });

    expect((await first.rest('DELETE', `/api/api-keys/${secondId}`)).status).toBe(200);
    expect(await appliedBy('contacts', contact, kept)).toEqual({ sourceType: 'direct', appliedByKeyId: secondId });
  });
});
