import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { findInvariantViolations, runPropagationBatch } from '@tagging/domain';
import { raceWithHeldTransaction } from '../testing/held-transaction.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { fixture, type WorkspaceFixture } from '../testing/workspace-fixture.ts';

/**
 * Untagging a contact while one of its sessions is tagged directly (stress-test finding, session
 * 19). Tagging a session turns its inherited row direct holding only the session's lock, so an
 * untag that picked that row finds a newer version and skips it: rightly, the row is direct now,
 * but an untag that judged "nothing left" by the rows it removed stopped early, and sessions
 * beyond its batch kept a tag their contact no longer had. Here the direct tagging is held open
 * in a transaction (the update `makeDirect` does) on a row the untag is known to pick, the untag
 * waits on it, and then the transaction commits: in the request (synchronous limit) and in a
 * background batch. PostgreSQL only: PGlite is one connection, with no second transaction.
 */
const syncFanOutLimit = 3;
/** The untag job's batch: `untagBatchFactor` (20) times the worker's batch size. */
const workerBatchSize = 1;
const untagJobBatch = 20;

let server: TestServer;
let ws: WorkspaceFixture;

describe.skipIf(inject('testDatabaseTemplate').kind !== 'postgres')('untag racing a direct tag of a session', () => {
  beforeAll(async () => {
    server = await startTestServer({ propagation: { syncFanOutLimit }, worker: false });
    ws = await fixture(server, 'Fan-in races');
  });
  afterAll(() => server.close());

  /** A contact with `count` sessions, all inheriting a new tag (its propagation run to the end). */
  async function inheritingSessions(count: number) {
    const contact = await ws.contact();
    for (let i = 0; i < count; i++) await ws.sessionOf(contact);
    const tag = await ws.tag();
    await ws.tagContact(contact, tag);
    while (await runPropagationBatch(server.db, workerBatchSize));
    return { contactId: contact.id, tagId: tag.id };
  }

  const sql = <T extends Record<string, unknown>[]>(statement: string, params: unknown[] = []) =>
    server.db.fork().execute<T>(statement, params);

  const inheritedFromContact = `workspace_id = ? and source_entity_type = 'contact' and source_entity_id = any(?::text[])
    and tag_id = ? and entity_type = 'session' and source_type = 'inherited'`;

  /** The session whose row the untag's next batch of `limit` picks first (its statement's own scan). */
  async function firstPicked(contactId: string, tagId: string, limit: number): Promise<string> {
    const rows = await sql<{ entity_id: string }[]>(
      `select entity_id from entity_tag where ${inheritedFromContact} limit ?`,
      [ws.id, `{${contactId}}`, tagId, limit],
    );
    expect(rows).toHaveLength(limit);
    return rows[0]?.entity_id ?? '';
  }

  /** Runs `untag` while a transaction that tagged `sessionId` directly is still open (as `makeDirect` does). */
  const whileTaggingDirectly = <T>(sessionId: string, tagId: string, untag: () => Promise<T>): Promise<T> =>
    raceWithHeldTransaction(
      server.db,
      (em) =>
        em.execute(
          `update entity_tag set source_type = 'direct', source_entity_type = null, source_entity_id = null
           where workspace_id = ? and entity_type = 'session' and entity_id = ? and tag_id = ?`,
          [ws.id, sessionId, tagId],
        ),
      untag,
    );

  async function inheritedLeft(contactId: string, tagId: string): Promise<number> {
    const [row] = await sql<{ count: number }[]>(
      `select count(*)::int as count from entity_tag where ${inheritedFromContact}`,
      [ws.id, `{${contactId}}`, tagId],
    );
    return row?.count ?? 0;
  }

  it('in the request: a job takes the sessions beyond the batch', async () => {
    // 6 sessions: the request picks limit + 1 = 4 rows, one of them turning direct meanwhile.
    const { contactId, tagId } = await inheritingSessions(6);
    const direct = await firstPicked(contactId, tagId, syncFanOutLimit + 1);
    const response = await whileTaggingDirectly(direct, tagId, () =>
      ws.raw('DELETE', `/api/entity-tags/contacts/${contactId}/tags/${tagId}?workspaceId=${ws.id}`),
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ removedFromSessions: 3, deferred: { sessions: 2 } });
    while (await runPropagationBatch(server.db, workerBatchSize));
    expect(await inheritedLeft(contactId, tagId)).toBe(0);
    expect(await findInvariantViolations(server.db.fork())).toEqual([]);
  });

  it('in the idempotent remove (document 001): the same', async () => {
    const { contactId, tagId } = await inheritingSessions(6);
    const direct = await firstPicked(contactId, tagId, syncFanOutLimit + 1);
    const response = await whileTaggingDirectly(direct, tagId, () =>
      ws.raw('DELETE', `/api/tags/${tagId}/contacts/${contactId}`),
    );
    expect(response.status).toBe(200);
    while (await runPropagationBatch(server.db, workerBatchSize));
    expect(await inheritedLeft(contactId, tagId)).toBe(0);
    expect(await findInvariantViolations(server.db.fork())).toEqual([]);
  });

  it('in a bulk untag: what the event says the sessions lost is what they lost', async () => {
    // No limit here: one delete of every inherited row, which skips the one turned direct.
    const { contactId, tagId } = await inheritingSessions(6);
    const direct = await firstPicked(contactId, tagId, 1);
    const response = await whileTaggingDirectly(direct, tagId, () =>
      ws.raw('POST', `/api/entity-tags/bulk/untag?workspaceId=${ws.id}`, {
        body: { tagId, entities: [{ entityType: 'contact', entityId: contactId }] },
      }),
    );
    expect(response.body).toMatchObject({ untagged: 1, removedFromSessions: 5 });
    const [event] = await sql<{ lost: number }[]>(
      `select (payload ->> 'sessionsLost')::int as lost from event
       where workspace_id = ? and type = 'contact.untagged' and payload ->> 'entityId' = ?`,
      [ws.id, contactId],
    );
    expect(event?.lost).toBe(5);
    expect(await inheritedLeft(contactId, tagId)).toBe(0);
    expect(await findInvariantViolations(server.db.fork())).toEqual([]);
  });

  it('in a background batch: the job goes on to the next batch', async () => {
    // 30 sessions: the request removes 4 and queues the rest; the job's first batch picks 20 of
    // the 26 left, one of them turning direct meanwhile.
    const { contactId, tagId } = await inheritingSessions(30);
    const response = await ws.raw(
      'DELETE',
      `/api/entity-tags/contacts/${contactId}/tags/${tagId}?workspaceId=${ws.id}`,
    );
    expect(response.body).toMatchObject({ removedFromSessions: 4, deferred: { sessions: syncFanOutLimit + 1 } });
    const direct = await firstPicked(contactId, tagId, untagJobBatch);
    expect(await whileTaggingDirectly(direct, tagId, () => runPropagationBatch(server.db, workerBatchSize))).toBe(true);
    while (await runPropagationBatch(server.db, workerBatchSize));
    expect(await inheritedLeft(contactId, tagId)).toBe(0);
    expect(await findInvariantViolations(server.db.fork())).toEqual([]);
  });
});
