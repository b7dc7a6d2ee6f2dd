import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findEventFeedViolations, findInvariantViolations, runPropagationBatch } from '@tagging/domain';
import { sequenceAllEvents } from '@tagging/domain/testing';
import { startTestServer, type TestServer } from '@tagging/api/testing';
import { createTaggingClient, createTaggingRestClient, type TaggingClient } from '../src/index.ts';
import { failure } from './support/call-failure.ts';

/**
 * Tag merge above the fan-out limit (issue 14): the answer reports a background job (as a
 * propagation's does), the job moves the rows in batches, each batch leaves the inheritance rules
 * exact, and when it is done the merged tags are gone and every row is the target's. The limit is
 * lowered to 3 entity tags; the worker is off, so the test runs the batches one by one. Either
 * way the merge ends with one `tag.merged` event, read here from the feed (GET /api/events).
 */
let server: TestServer;
let client: TaggingClient;
let workspaceId: number;
let apiKey: string;

beforeAll(async () => {
  server = await startTestServer({ propagation: { syncFanOutLimit: 3 }, worker: false });
  const ws = await server.newWorkspace('Merge jobs');
  workspaceId = ws.id;
  apiKey = ws.apiKey;
  client = createTaggingClient({ baseUrl: server.url, apiKey });
});
afterAll(() => server.close());

const rowsOf = async (entity: 'contact' | 'session', id: string) => {
  const ws = String(workspaceId);
  const { tags } =
    entity === 'contact'
      ? await client.entityTags.contactTags.query({ workspaceId: ws, contactId: id })
      : await client.entityTags.sessionTags.query({ workspaceId: ws, sessionId: id });
  return tags.map((row) => `${row.tag.name} ${row.sourceType}`).sort();
};

/** The `tag.merged` events of the workspace's feed whose target is `targetId`. */
async function mergedEvents(targetId: string) {
  // The server's sequencer numbers committed events shortly after; this does it now.
  await sequenceAllEvents(server.db);
  const rest = createTaggingRestClient({ baseUrl: server.url, apiKey });
  const { data, response } = await rest.GET('/events', { params: { query: { types: 'tag.merged', limit: 1000 } } });
  expect(response.status).toBe(200);
  return (data?.events ?? []).filter((event) => event.data.tagId === targetId);
}

/** A workspace's worth of tagging: 3 contacts with 2 sessions each, one loose session. */
async function tagged(prefix: string) {
  const ws = String(workspaceId);
  const [target, a, b] = await Promise.all(
    ['Target', 'A', 'B'].map((name) => client.tags.create.mutate({ name: `${prefix} ${name}` })),
  );
  if (!target || !a || !b) throw new Error('tags not created');
  const contacts = await Promise.all([0, 1, 2].map((i) => client.contacts.create.mutate({ name: `${prefix} C${i}` })));
  const sessions = await Promise.all(
    contacts.flatMap((contact) => [0, 1].map(() => client.sessions.create.mutate({ contactId: contact.id }))),
  );
  const loose = await client.sessions.create.mutate({});
  const [c0, c1, c2] = contacts;
  const [s00, , s10] = sessions;
  if (!c0 || !c1 || !c2 || !s00 || !s10) throw new Error('entities not created');
  // C0: A (its sessions inherit A), and target directly; s00 also has B directly.
  // C1: B (inherited by its sessions); s10 has A directly. C2: target only. The loose session: A.
  for (const [contactId, tagId] of [
    [c0.id, a.id],
    [c0.id, target.id],
    [c1.id, b.id],
    [c2.id, target.id],
  ] as const)
    await client.entityTags.tagContact.mutate({ workspaceId: ws, contactId, tagId });
  for (const [sessionId, tagId] of [
    [s00.id, b.id],
    [s10.id, a.id],
    [loose.id, a.id],
  ] as const)
    await client.entityTags.tagSession.mutate({ workspaceId: ws, sessionId, tagId });
  return { target, a, b, contacts, sessions, loose };
}

describe('tag merge above the fan-out limit', () => {
  it('answers with the job (REST), which moves the rows in batches that each keep the rules', async () => {
    const { target, a, b, contacts, sessions, loose } = await tagged('REST');
    const rest = createTaggingRestClient({ baseUrl: server.url, apiKey });
    const answer = await rest.POST('/tags/{id}/merge', {
      params: { path: { id: target.id } },
      body: { sourceTagIds: [a.id, b.id] },
    });
    expect(answer.response.status).toBe(200);
    const deferred = answer.data?.deferred;
    expect(answer.data).toMatchObject({ success: true, mergedTagIds: [a.id, b.id], movedEntityTags: 0 });
    expect(deferred).toMatchObject({ status: 'pending', sessions: 4 });
    expect(deferred?.statusUrl).toBe(`/api/entity-tags/jobs/${deferred?.jobId}?workspaceId=${workspaceId}`);
    // No event before the merge is done.
    expect(await mergedEvents(target.id)).toEqual([]);
    // Nothing moved yet: the merged tags are still there.
    expect((await client.tags.get.query({ id: a.id })).name).toBe('REST A');

    const status = await fetch(`${server.url}${deferred?.statusUrl}`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(status.status).toBe(200);
    expect(await status.json()).toMatchObject({
      id: deferred?.jobId,
      kind: 'merge-tags',
      contactId: null,
      tagId: target.id,
      sourceTagIds: [a.id, b.id],
      status: 'pending',
    });

    // One contact (with its sessions) per batch: C0, C1, then the loose session, then the end.
    let batches = 0;
    while (await runPropagationBatch(server.db, 1)) {
      batches += 1;
      expect(await findInvariantViolations(server.db.fork())).toEqual([]);
      if (batches > 20) throw new Error('the merge job does not end');
    }
    expect(batches).toBe(4);

    const [c0, c1, c2] = contacts;
    const [s00, s01, s10, s11, s20] = sessions;
    if (!c0 || !c1 || !c2 || !s00 || !s01 || !s10 || !s11 || !s20) throw new Error('entities missing');
    expect(await rowsOf('contact', c0.id)).toEqual(['REST Target direct']);
    expect(await rowsOf('contact', c1.id)).toEqual(['REST Target direct']);
    expect(await rowsOf('session', s00.id)).toEqual(['REST Target direct']);
    expect(await rowsOf('session', s01.id)).toEqual(['REST Target inherited']);
    expect(await rowsOf('session', s10.id)).toEqual(['REST Target direct']);
    expect(await rowsOf('session', s11.id)).toEqual(['REST Target inherited']);
    expect(await rowsOf('session', s20.id)).toEqual(['REST Target inherited']);
    expect(await rowsOf('session', loose.id)).toEqual(['REST Target direct']);
    for (const merged of [a, b])
      expect((await failure(client.tags.get.query({ id: merged.id }))).code).toBe('NOT_FOUND');
    const job = await client.entityTags.propagationJob.query({
      workspaceId: String(workspaceId),
      jobId: deferred?.jobId ?? '',
    });
    expect(job).toMatchObject({ status: 'done', processedSessions: 9 });
    // One event for the whole merge, with the totals of all its batches: C1, s10 (one of its two
    // rows), s11 and the loose session gained the target; the other 5 rows collapsed onto a row
    // of the target the entity already had.
    const events = await mergedEvents(target.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'tag.merged',
      workspaceId,
      data: { tagId: target.id, mergedTagIds: [a.id, b.id], movedEntityTags: 4, collapsedEntityTags: 5 },
    });
    expect(await client.tags.get.query({ id: target.id })).toMatchObject({ contactsCount: 3, sessionsCount: 7 });
  });

  it('over tRPC too; and what is tagged with a merged tag meanwhile moves as well', async () => {
    const { target, a, b, contacts } = await tagged('tRPC');
    const result = await client.tags.merge.mutate({ id: target.id, sourceTagIds: [a.id, b.id] });
    expect(result.deferred).toMatchObject({ status: 'pending' });
    await runPropagationBatch(server.db, 1);
    // C0 has moved; tagging it with A again (the tag still exists until the job ends) is moved too.
    const [c0] = contacts;
    if (!c0) throw new Error('no contact');
    await client.entityTags.tagContact.mutate({ workspaceId: String(workspaceId), contactId: c0.id, tagId: a.id });
    while (await runPropagationBatch(server.db, 100))
      expect(await findInvariantViolations(server.db.fork())).toEqual([]);
    expect(await rowsOf('contact', c0.id)).toEqual(['tRPC Target direct']);
    expect((await failure(client.tags.get.query({ id: a.id }))).code).toBe('NOT_FOUND');
    expect(await findInvariantViolations(server.db.fork())).toEqual([]);
    // What was tagged meanwhile counts too: C0's A and the A its two sessions inherited again, 3
    // rows, all collapsed onto the target rows they already had.
    const events = await mergedEvents(target.id);
    expect(events).toHaveLength(1);
    expect(events[0]?.data).toMatchObject({ mergedTagIds: [a.id, b.id], movedEntityTags: 4, collapsedEntityTags: 8 });
  });

  it('refuses a merge of tags another merge job still moves (409, session 24: opposite jobs moved rows back and forth); the first ends alone', async () => {
    const { target: p, a: q, contacts } = await tagged('Opposite');
    const ws = String(workspaceId);
    for (const contact of contacts)
      // C0 has Q already (409).
      await client.entityTags.tagContact
        .mutate({ workspaceId: ws, contactId: contact.id, tagId: q.id })
        .catch(() => undefined);
    const first = await client.tags.merge.mutate({ id: p.id, sourceTagIds: [q.id] });
    expect(first.deferred).toBeDefined();
    const second = await failure(client.tags.merge.mutate({ id: q.id, sourceTagIds: [p.id] }));
    expect(second.code).toBe('CONFLICT');
    expect(second.message).toContain(first.deferred?.jobId ?? 'no job');
    let batches = 0;
    while (await runPropagationBatch(server.db, 1)) {
      batches += 1;
      expect(await findInvariantViolations(server.db.fork())).toEqual([]);
      if (batches > 50) throw new Error('the merge job does not end');
    }
    expect(
      await client.entityTags.propagationJob.query({ workspaceId: ws, jobId: first.deferred?.jobId ?? '' }),
    ).toMatchObject({ status: 'done' });
    // The merge took Q into P.
    expect((await failure(client.tags.get.query({ id: q.id }))).code).toBe('NOT_FOUND');
    for (const contact of contacts) {
      const rows = await rowsOf('contact', contact.id);
      expect(rows).toContain('Opposite Target direct');
      expect(rows.filter((row) => row.startsWith('Opposite A'))).toEqual([]);
    }
    expect(await mergedEvents(p.id)).toHaveLength(1);
  });

  it('refuses to delete a tag a merge job still running merges or merges into (409)', async () => {
    const { target, a } = await tagged('Busy');
    const result = await client.tags.merge.mutate({ id: target.id, sourceTagIds: [a.id] });
    expect(result.deferred).toBeDefined();
    for (const id of [target.id, a.id])
      expect((await failure(client.tags.delete.mutate({ id }))).code).toBe('CONFLICT');
    while (await runPropagationBatch(server.db, 100));
    expect(await client.tags.delete.mutate({ id: target.id })).toMatchObject({ removedEntityTags: expect.any(Number) });
  });

  it('names the entities each batch moved (tag.merge_progressed), so a replay of the feed stays exact when they lose the target before the merge ends (session 24)', async () => {
    const { target, a, b, contacts, sessions, loose } = await tagged('Replay');
    const ws = String(workspaceId);
    const result = await client.tags.merge.mutate({ id: target.id, sourceTagIds: [a.id, b.id] });
    const jobId = result.deferred?.jobId;
    expect(jobId).toBeDefined();
    const [c0, c1] = contacts;
    const [s00, , s10] = sessions;
    if (!c0 || !c1 || !s00 || !s10) throw new Error('entities missing');
    // The first batch moves C0 with its sessions; C0 and s00 then lose the target.
    await runPropagationBatch(server.db, 1);
    await client.entityTags.untagContact.mutate({ workspaceId: ws, contactId: c0.id, tagId: target.id });
    await client.entityTags.untagSession.mutate({ workspaceId: ws, sessionId: s00.id, tagId: target.id });
    // The second moves C1 (s10's direct A with it); s10 is deleted, and so is C1.
    await runPropagationBatch(server.db, 1);
    await client.sessions.delete.mutate({ id: s10.id });
    await client.contacts.delete.mutate({ id: c1.id });
    while (await runPropagationBatch(server.db, 1));
    expect(await client.entityTags.propagationJob.query({ workspaceId: ws, jobId: jobId ?? '' })).toMatchObject({
      status: 'done',
    });

    await sequenceAllEvents(server.db);
    expect(await findEventFeedViolations(server.db.fork())).toEqual([]);
    const rest = createTaggingRestClient({ baseUrl: server.url, apiKey });
    const { data } = await rest.GET('/events', {
      params: { query: { types: 'tag.merge_progressed,tag.merged', limit: 1000 } },
    });
    const events = (data?.events ?? []).filter((event) => event.data.tagId === target.id);
    // One event per batch, naming the entities whose own tags it changed (s01 and s11 only
    // inherit), then the merge's end.
    expect(events.map((event) => [event.type, event.data.contactIds, event.data.sessionIds])).toEqual([
      ['tag.merge_progressed', [c0.id], [s00.id]],
      ['tag.merge_progressed', [c1.id], [s10.id]],
      ['tag.merge_progressed', [], [loose.id]],
      ['tag.merged', undefined, undefined],
    ]);
    expect(events[0]?.data).toMatchObject({ tagId: target.id, mergedTagIds: [a.id, b.id], jobId });
  });

  it('writes at most 1,000 ids a tag.merge_progressed event: a batch of 1,001 sessions is two events', async () => {
    const target = await client.tags.create.mutate({ name: 'Chunked target' });
    const source = await client.tags.create.mutate({ name: 'Chunked source' });
    const { ids } = await client.sessions.bulkUpsert.mutate({ sessions: Array.from({ length: 1001 }, () => ({})) });
    await client.entityTags.bulkTag.mutate({
      workspaceId: String(workspaceId),
      tagId: source.id,
      entities: ids.map((id) => ({ entityType: 'session' as const, entityId: id ?? '' })),
    });
    const result = await client.tags.merge.mutate({ id: target.id, sourceTagIds: [source.id] });
    expect(result.deferred).toBeDefined();
    expect(await runPropagationBatch(server.db, 2000)).toBe(true);
    await sequenceAllEvents(server.db);
    const rest = createTaggingRestClient({ baseUrl: server.url, apiKey });
    const { data } = await rest.GET('/events', { params: { query: { types: 'tag.merge_progressed', limit: 1000 } } });
    const events = (data?.events ?? []).filter((event) => event.data.tagId === target.id);
    expect(events.map((event) => (event.data.sessionIds as string[]).length)).toEqual([1000, 1]);
    const named = events.flatMap((event) => event.data.sessionIds as string[]);
    expect(new Set(named)).toEqual(new Set(ids));
    while (await runPropagationBatch(server.db, 2000));
    await sequenceAllEvents(server.db);
    expect(await findEventFeedViolations(server.db.fork())).toEqual([]);
  });

  it('under the limit it is still one transaction with the counts', async () => {
    const target = await client.tags.create.mutate({ name: 'Small target' });
    const source = await client.tags.create.mutate({ name: 'Small source' });
    const contact = await client.contacts.create.mutate({ name: 'Small' });
    await client.entityTags.tagContact.mutate({
      workspaceId: String(workspaceId),
      contactId: contact.id,
      tagId: source.id,
    });
    const result = await client.tags.merge.mutate({ id: target.id, sourceTagIds: [source.id] });
    expect(result).toMatchObject({ movedEntityTags: 1, collapsedEntityTags: 0 });
    expect(result.deferred).toBeUndefined();
    const events = await mergedEvents(target.id);
    expect(events.map((event) => event.data)).toEqual([
      { tagId: target.id, mergedTagIds: [source.id], movedEntityTags: 1, collapsedEntityTags: 0 },
    ]);
  });
});
