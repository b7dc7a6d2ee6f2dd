import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findInvariantViolations } from '@tagging/domain';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { fixture, type WorkspaceFixture } from '../testing/workspace-fixture.ts';
import { deadlocksSoFar } from './support/deadlocks.ts';

/**
 * A tag merge racing the deletion and retagging of the entities whose rows it moves (attack
 * finding, session 9: sessions deleted during a merge kept a row of the target tag). Every writer
 * of an entity's rows holds the rows' tags (`lockTagsOfEntities`), and a background merge's batch
 * of sessions without a contact holds their locks. Both merge paths: in the request (below the
 * fan-out limit) and as a background job (a limit of 1). Afterwards: no row of a missing entity,
 * the rules intact, and each deleted session's `session.untagged` event names the tag it had
 * when it went (the merged tag if the merge came first, the target if it came after).
 */
const servers: TestServer[] = [];
afterAll(() => Promise.all(servers.map((server) => server.close())));

async function race(server: TestServer, ws: WorkspaceFixture, round: number) {
  const target = await ws.tag({ name: `Target ${round}` });
  const merged = await ws.tag({ name: `Merged ${round}` });
  const contacts = (await ws.trpc.contacts.bulkUpsert.mutate({ contacts: Array.from({ length: 6 }, () => ({})) })).ids;
  const linked = (
    await ws.trpc.sessions.bulkUpsert.mutate({
      sessions: contacts.map((contactId, i) => ({ externalId: `linked-${round}-${i}`, contactId })),
    })
  ).ids;
  const loose = (
    await ws.trpc.sessions.bulkUpsert.mutate({
      sessions: Array.from({ length: 12 }, (_, i) => ({ externalId: `loose-${round}-${i}` })),
    })
  ).ids;
  const id = (value: string | null) => {
    if (value === null) throw new Error('an upsert was refused');
    return value;
  };
  const entities = [
    ...contacts.map((c) => ({ entityType: 'contact' as const, entityId: id(c) })),
    ...loose.map((s) => ({ entityType: 'session' as const, entityId: id(s) })),
  ];
  await ws.rest.POST('/entity-tags/bulk/tag', {
    params: { query: { workspaceId: ws.id } },
    body: { tagId: merged.id, entities },
  });
  // Loose sessions carry the tag directly (their delete records its event); linked ones inherit it.
  const deletedLoose = loose.slice(0, 8).map(id);
  const deleted = [...deletedLoose, ...linked.slice(0, 3).map(id)];
  const answers = await Promise.all([
    ws.rest.POST('/tags/{id}/merge', { params: { path: { id: target.id } }, body: { sourceTagIds: [merged.id] } }),
    ...deleted.map((sessionId) => ws.rest.DELETE('/sessions/{id}', { params: { path: { id: sessionId } } })),
    ...contacts.slice(0, 2).map((c) => ws.rest.DELETE('/contacts/{id}', { params: { path: { id: id(c) } } })),
  ]);
  expect(answers.map((answer) => answer.response.status).filter((status) => status >= 500)).toEqual([]);
  return { target, merged, deletedLoose };
}

describe.each([
  ['in the request', {}, true],
  // A background merge moves rows batch by batch before its last batch records `tag.merged`: a
  // session deleted in between lost the target already.
  ['as a background job', { propagation: { syncFanOutLimit: 1 } }, false],
])('a tag merge %s, racing deletes of the entities it moves', (_, options, atOnce) => {
  let server: TestServer;
  let ws: WorkspaceFixture;
  beforeAll(async () => {
    server = await startTestServer(options);
    servers.push(server);
    ws = await fixture(server, 'Merge races');
  });

  it('leaves no row of a deleted entity, and deleted sessions say which tag they lost', async () => {
    for (let round = 0; round < 4; round++) {
      const { target, merged, deletedLoose } = await race(server, ws, round);
      for (let wait = 0; wait < 200; wait++) {
        const [job] = await server.db
          .fork()
          .execute<{ n: number }[]>(
            `select count(*)::int as n from propagation_job where workspace_id = ? and status in ('pending', 'running')`,
            [ws.id],
          );
        if (job?.n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await findInvariantViolations(server.db.fork())).toEqual([]);
      // Events are numbered after commit: wait until the merge's is in the feed.
      let events = await ws.trpc.events.list.query({ types: 'session.untagged,tag.merged', limit: 1000 });
      for (
        let wait = 0;
        wait < 100 && !events.events.some((e) => e.type === 'tag.merged' && e.data.tagId === target.id);
        wait++
      ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        events = await ws.trpc.events.list.query({ types: 'session.untagged,tag.merged', limit: 1000 });
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      events = await ws.trpc.events.list.query({ types: 'session.untagged,tag.merged', limit: 1000 });
      const mergedAt = events.events.find((e) => e.type === 'tag.merged' && e.data.tagId === target.id)?.seq;
      expect(mergedAt).toBeDefined();
      for (const sessionId of deletedLoose) {
        const lost = events.events.filter(
          (e) => e.type === 'session.untagged' && e.data.entityId === sessionId && e.data.reason === 'deleted',
        );
        expect(lost).toHaveLength(1);
        const [event] = lost;
        if (!event || mergedAt === undefined) continue;
        // The tag it had at its delete: the merged one before the merge, the target after it.
        if (atOnce) expect(event.data.tagId).toBe(event.seq < mergedAt ? merged.id : target.id);
        else expect([merged.id, target.id]).toContain(event.data.tagId);
      }
    }
  });
});

describe.each([
  ['in the request', {}],
  ['as a background job', { propagation: { syncFanOutLimit: 1 } }],
])('a tag merge %s, racing bulk patches of both tags (black-box attack, session 24)', (_, options) => {
  let server: TestServer;
  let ws: WorkspaceFixture;
  beforeAll(async () => {
    server = await startTestServer(options);
    servers.push(server);
    ws = await fixture(server, 'Merge and patch');
  });

  it('takes the tags in one order (by id) with the patches: no deadlock, no 5xx', async () => {
    const before = await deadlocksSoFar(server);
    for (let round = 0; round < 12; round++) {
      const a = await ws.tag({ name: `Patched A ${round}` });
      const b = await ws.tag({ name: `Patched B ${round}` });
      const contacts = (await ws.trpc.contacts.bulkUpsert.mutate({ contacts: [{}, {}, {}] })).ids;
      await ws.rest.POST('/entity-tags/bulk/tag', {
        params: { query: { workspaceId: ws.id } },
        body: { tagId: a.id, entities: contacts.map((c) => ({ entityType: 'contact' as const, entityId: c ?? '' })) },
      });
      // Merged into the later id on even rounds, into the earlier on odd ones.
      const [target, source] = round % 2 === 0 ? [b, a] : [a, b];
      const answers = await Promise.all([
        ws.rest.POST('/tags/{id}/merge', { params: { path: { id: target.id } }, body: { sourceTagIds: [source.id] } }),
        ...[0, 1, 2, 3].map((i) =>
          ws.rest.PATCH('/tags/bulk', {
            body: {
              patches: [
                { id: a.id, order: i },
                { id: b.id, order: i + 1 },
              ],
            },
          }),
        ),
      ]);
      // A patch after the merge no longer finds the merged tag (404, all or nothing).
      expect(answers.map((answer) => answer.response.status).filter((status) => status >= 500)).toEqual([]);
    }
    await server.waitForJobs();
    expect(await deadlocksSoFar(server)).toBe(before);
    expect(await findInvariantViolations(server.db.fork())).toEqual([]);
  });
});
