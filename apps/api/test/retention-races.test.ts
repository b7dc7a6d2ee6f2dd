import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  deleteExpiredBackgroundWork,
  deleteExpiredEvents,
  getPropagationJob,
  retryFailedJob,
  retryWebhookDelivery,
} from '@tagging/domain';
import { raceWithHeldTransaction } from '../testing/held-transaction.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { fixture, type WorkspaceFixture } from '../testing/workspace-fixture.ts';

/**
 * The clean-up of finished work racing an operator's retry (session 19, found while sweeping for
 * the kind of the untag race: a statement that picks rows in its snapshot and then acts on them).
 * Retention picks finished rows past their age and deletes them; a retry turns a failed one
 * `pending` again. Matched back by key, the delete took the retried row as well: the job, or the
 * delivery, was gone although the operator had just been told it was queued. Here the retry is
 * held open in a transaction, the clean-up waits on its row, and then the retry commits.
 * PostgreSQL only: PGlite is one connection, with no second transaction.
 */
let server: TestServer;
let ws: WorkspaceFixture;
const day = 24 * 60 * 60 * 1000;

describe.skipIf(inject('testDatabaseTemplate').kind !== 'postgres')('retention racing a retry', () => {
  beforeAll(async () => {
    server = await startTestServer({ worker: false, changeEvents: false });
    ws = await fixture(server, 'Retention races');
  });
  afterAll(() => server.close());

  const sql = <T extends Record<string, unknown>[]>(statement: string, params: unknown[] = []) =>
    server.db.fork().execute<T>(statement, params);

  it('keeps a failed propagation job retried while its retention ends', async () => {
    const id = 'job_retention_race_1';
    await sql(
      `insert into propagation_job (workspace_id, id, kind, contact_id, tag_id, status, error, updated_at)
       values (?, ?, 'tag-contact', 'contact_x', 'wtag_x', 'failed', 'boom', now() - interval '8 days')`,
      [ws.id, id],
    );
    const swept = await raceWithHeldTransaction(
      server.db,
      (em) => retryFailedJob(em, id),
      () => deleteExpiredBackgroundWork(server.db, { jobRetentionMs: 7 * day }),
    );
    expect(swept.jobs).toBe(0);
    expect((await getPropagationJob(server.db.fork(), ws.id, id)).status).toBe('pending');
  });

  it('keeps a failed webhook delivery retried while its retention ends', async () => {
    const endpoint = await ws.trpc.webhooks.create.mutate({ url: 'https://example.com/retention-race' });
    const [event] = await sql<{ id: string }[]>(
      `insert into event (workspace_id, id, type, payload) values (?, 'evt_retention_race_1', 'tag.created', '{}')
       returning id`,
      [ws.id],
    );
    await sql(
      `insert into webhook_delivery (workspace_id, id, endpoint_id, event_id, event_type, status, attempts, updated_at)
       values (?, 'whd_retention_race_1', ?, ?, 'tag.created', 'failed', 3, now() - interval '2 hours')`,
      [ws.id, endpoint.id, event?.id],
    );
    await raceWithHeldTransaction(
      server.db,
      (em) => retryWebhookDelivery(em, ws.id, endpoint.id, 'whd_retention_race_1'),
      // Events are kept (a day); finished deliveries go after an hour.
      () => deleteExpiredEvents(server.db, { eventRetentionMs: day, deliveryRetentionMs: 3_600_000 }),
    );
    const [row] = await sql<{ status: string }[]>(
      `select status from webhook_delivery where workspace_id = ? and id = 'whd_retention_race_1'`,
      [ws.id],
    );
    expect(row?.status).toBe('pending');
  });
});
