import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { findInvariantViolations } from '@tagging/domain';
import { startTestServer, type TestServer } from '@tagging/api/testing';
import {
  createTaggingClient,
  createTaggingRestClient,
  type TaggingClient,
  type TaggingRestClient,
} from '../src/index.ts';
import { failure } from './support/call-failure.ts';

/**
 * Tag merge through the SDK: tRPC `tags.merge` and REST `POST /api/tags/{id}/merge` (the REST
 * client typed from the served OpenAPI document). The inheritance model's property test
 * (apps/api/test/inheritance.property.test.ts) covers merge over random states as well.
 */
let server: TestServer;
let client: TaggingClient;
let rest: TaggingRestClient;
let workspaceId: number;

beforeAll(async () => {
  server = await startTestServer();
  const ws = await server.newWorkspace('Merge');
  workspaceId = ws.id;
  client = createTaggingClient({ baseUrl: server.url, apiKey: ws.apiKey });
  rest = createTaggingRestClient({ baseUrl: server.url, apiKey: ws.apiKey });
});
afterAll(() => server.close());

const rowsOf = async (entity: 'contact' | 'session', id: string) => {
  const { tags } =
    entity === 'contact'
      ? await client.entityTags.contactTags.query({ workspaceId: String(workspaceId), contactId: id })
      : await client.entityTags.sessionTags.query({ workspaceId: String(workspaceId), sessionId: id });
  return tags.map((row) => `${row.tag.name} ${row.sourceType}`).sort();
};

describe('tag merge', () => {
  it('moves every entity tag to the target, collapses duplicates (direct wins) and deletes the merged tags', async () => {
    const ws = String(workspaceId);
    const [target, vip, vipToo] = await Promise.all(
      ['Customer VIP', 'vip customer', 'V.I.P.'].map((name) => client.tags.create.mutate({ name })),
    );
    if (!target || !vip || !vipToo) throw new Error('tags not created');
    const contact = await client.contacts.create.mutate({ name: 'Ada' });
    const other = await client.contacts.create.mutate({ name: 'Grace' });
    const [s1, s2] = await Promise.all([
      client.sessions.create.mutate({ contactId: contact.id }),
      client.sessions.create.mutate({ contactId: contact.id }),
    ]);
    if (!s1 || !s2) throw new Error('sessions not created');
    // Ada: target (direct) and vip (direct): one row collapses. Her sessions inherit both, and s1
    // also has vipToo directly. Grace has only vipToo: it moves.
    await client.entityTags.tagContact.mutate({ workspaceId: ws, contactId: contact.id, tagId: target.id });
    await client.entityTags.tagContact.mutate({ workspaceId: ws, contactId: contact.id, tagId: vip.id });
    await client.entityTags.tagSession.mutate({ workspaceId: ws, sessionId: s1.id, tagId: vipToo.id });
    await client.entityTags.tagContact.mutate({ workspaceId: ws, contactId: other.id, tagId: vipToo.id });

    const result = await client.tags.merge.mutate({ id: target.id, sourceTagIds: [vip.id, vipToo.id] });
    expect(result).toMatchObject({
      success: true,
      mergedTagIds: [vip.id, vipToo.id],
      // Grace's row moves; Ada's vip, s1's and s2's inherited vip and s1's direct vipToo collapse.
      movedEntityTags: 1,
      collapsedEntityTags: 4,
      tag: { id: target.id, name: 'Customer VIP', contactsCount: 2, sessionsCount: 2 },
    });
    expect(await rowsOf('contact', contact.id)).toEqual(['Customer VIP direct']);
    expect(await rowsOf('contact', other.id)).toEqual(['Customer VIP direct']);
    expect(await rowsOf('session', s1.id)).toEqual(['Customer VIP direct']);
    expect(await rowsOf('session', s2.id)).toEqual(['Customer VIP inherited']);
    for (const merged of [vip, vipToo])
      expect((await failure(client.tags.get.query({ id: merged.id }))).code).toBe('NOT_FOUND');
    expect(await findInvariantViolations(server.db.fork())).toEqual([]);
  });

  it('answers over REST with the documented counts, and refuses bad requests changing nothing', async () => {
    const target = await client.tags.create.mutate({ name: 'REST target' });
    const source = await client.tags.create.mutate({ name: 'REST source' });
    const unknown = `wtag_${randomUUID()}`;

    const missing = await rest.POST('/tags/{id}/merge', {
      params: { path: { id: target.id } },
      body: { sourceTagIds: [source.id, unknown] },
    });
    expect(missing.response.status, JSON.stringify(missing.error)).toBe(404);
    expect(missing.error).toMatchObject({ code: 'NOT_FOUND' });
    const self = await rest.POST('/tags/{id}/merge', {
      params: { path: { id: target.id } },
      body: { sourceTagIds: [target.id] },
    });
    expect(self.response.status).toBe(400);
    const empty = await rest.POST('/tags/{id}/merge', {
      params: { path: { id: target.id } },
      body: { sourceTagIds: [] },
    });
    expect(empty.response.status).toBe(400);
    const noTarget = await rest.POST('/tags/{id}/merge', {
      params: { path: { id: unknown } },
      body: { sourceTagIds: [source.id] },
    });
    expect(noTarget.response.status).toBe(404);
    expect((await client.tags.get.query({ id: source.id })).name).toBe('REST source');

    const merged = await rest.POST('/tags/{id}/merge', {
      params: { path: { id: target.id } },
      body: { sourceTagIds: [source.id] },
    });
    expect(merged.response.status).toBe(200);
    expect(merged.data).toMatchObject({ success: true, mergedTagIds: [source.id], movedEntityTags: 0 });
  });

  it('refuses another workspace’s tags as not found', async () => {
    const theirs = createTaggingClient({ baseUrl: server.url, apiKey: (await server.newWorkspace('Other')).apiKey });
    const theirTag = await theirs.tags.create.mutate({ name: 'Theirs' });
    const mine = await client.tags.create.mutate({ name: 'Mine' });
    const error = await failure(client.tags.merge.mutate({ id: mine.id, sourceTagIds: [theirTag.id] }));
    expect(error).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    expect((await theirs.tags.get.query({ id: theirTag.id })).name).toBe('Theirs');
  });
});
