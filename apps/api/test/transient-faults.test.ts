import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  bulkUpsertContacts,
  bulkUpsertSessions,
  createTag,
  noActor,
  createWorkspaceWithKey,
  findInvariantViolations,
  isTransientJobError,
  openDatabase,
  startBackgroundWorker,
  type BackgroundWorker,
  type Database,
} from '@tagging/domain';
import { openTestDatabase, type TestDatabase } from '@tagging/domain/testing';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../src/server.ts';
import type {} from '../testing/global-setup.ts';

/**
 * Transient faults never fail background work for good: a contact of 24,000 sessions is tagged
 * (a deferred propagation) and an export started, then every other backend of the test's own
 * database is terminated every 50 ms for 6 s. Afterwards every job ends `done`, the export
 * downloads whole, and the inheritance rules hold. Terminating backends needs a real server,
 * so it runs on PostgreSQL only (PGlite is one in-process backend; nothing to terminate).
 */
const onPostgres = inject('testDatabaseTemplate').kind === 'postgres';
if (!onPostgres) console.info('transient-faults: skipped, pg_terminate_backend needs a PostgreSQL server');

const sessionsOfContact = 24_000;
const contacts = 5000;

let database: TestDatabase | undefined;
let admin: Database | undefined;
let app: FastifyInstance | undefined;
let worker: BackgroundWorker | undefined;
const errors: unknown[] = [];

beforeAll(async () => {
  if (!onPostgres) return;
  database = await openTestDatabase(inject('testDatabaseTemplate'));
  if (!database.url) throw new Error('no database url');
  // A statement past a minute fails naming itself (the audit once ran for minutes: DECISIONS).
  admin = await openDatabase({
    target: { kind: 'postgres', url: database.url, poolSize: 1, statementTimeoutMs: 60_000 },
  });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await worker?.stop();
  await admin?.close();
  await database?.dispose();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.runIf(onPostgres)('transient faults (PostgreSQL: pg_terminate_backend)', () => {
  it('finish every job and export, with the rules intact, after 6 s of terminated connections', async () => {
    const db = database?.db;
    if (!db || !admin) throw new Error('no database');
    const { workspace, apiKey } = await createWorkspaceWithKey(db.fork(), 'Faulty');
    const tag = await createTag(db.fork(), workspace.id, { name: 'Survives faults' }, noActor);
    const people = await bulkUpsertContacts(db.fork(), workspace.id, {
      contacts: Array.from({ length: contacts }, (_, i) => ({ name: `Person ${i}` })),
    });
    const fan = people.ids[0] ?? '';
    for (let left = sessionsOfContact; left > 0; left -= 8000)
      await bulkUpsertSessions(db.fork(), workspace.id, {
        sessions: Array.from({ length: Math.min(8000, left) }, () => ({ contactId: fan })),
      });

    app = await buildServer({ db, propagation: { syncFanOutLimit: 5000 } });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const headers = { authorization: `Bearer ${apiKey.secret}`, 'content-type': 'application/json' };
    const post = async (path: string, body: unknown) =>
      (await (await fetch(`${baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })).json()) as {
        id?: string;
        deferred?: { jobId: string };
      };
    const tagged = await post(`/api/entity-tags/contacts/${fan}/tags?workspaceId=${workspace.id}`, { tagId: tag.id });
    const jobId = tagged.deferred?.jobId ?? '';
    expect(jobId).toMatch(/^job_/);
    const exportId = (await post('/api/exports', { format: 'csv' })).id ?? '';
    expect(exportId).toMatch(/^exp_/);

    // Small batches: many of them are in flight while the connections drop.
    worker = startBackgroundWorker(db, {
      idleMs: 20,
      batchSize: 500,
      exportBatchSize: 25,
      onError: (error) => errors.push(error),
    });
    const chaosUntil = Date.now() + 6000;
    let terminated = 0;
    while (Date.now() < chaosUntil) {
      const rows = await admin.fork().execute<{ killed: boolean }[]>(
        `select pg_terminate_backend(pid) as killed from pg_stat_activity
           where datname = current_database() and pid <> pg_backend_pid()`,
      );
      terminated += rows.filter((row) => row.killed).length;
      await sleep(50);
    }
    expect(terminated).toBeGreaterThan(0);
    expect(errors.length).toBeGreaterThan(0);
    // Everything the outage threw is recognised as transient (an unrecognised one would count
    // towards failing the job for good).
    expect(errors.filter((error) => !isTransientJobError(error)).map(String)).toEqual([]);

    // Then the work finishes by itself (the backoff is at most 10 s).
    type JobState = { status: string; processed_sessions: number; total_sessions: number };
    let job: JobState | undefined;
    let exported: { status: string; rows_written: number; total_rows: number } | undefined;
    for (let i = 0; i < 600; i++) {
      [job] = await admin.fork().execute<JobState[]>('select * from propagation_job where id = ?', [jobId]);
      [exported] = await admin
        .fork()
        .execute<{ status: string; rows_written: number; total_rows: number }[]>(
          'select * from contact_export where id = ?',
          [exportId],
        );
      if (
        job?.status !== 'pending' &&
        job?.status !== 'running' &&
        exported?.status !== 'pending' &&
        exported?.status !== 'running'
      )
        break;
      await sleep(100);
    }
    console.info(
      `transient-faults: ${terminated} backends terminated, ${errors.length} failed batches, job ${JSON.stringify(job)}, export ${JSON.stringify(exported)}`,
    );
    expect(job).toMatchObject({
      status: 'done',
      processed_sessions: sessionsOfContact,
      total_sessions: sessionsOfContact,
    });
    expect(exported).toMatchObject({ status: 'done', rows_written: contacts, total_rows: contacts });
    const [unfinished] = await admin
      .fork()
      .execute<{ count: number }[]>(`select count(*)::int as count from propagation_job where status <> 'done'`);
    expect(unfinished?.count).toBe(0);

    const download = await fetch(`${baseUrl}/api/exports/${exportId}/download`, { headers });
    expect(download.status).toBe(200);
    const lines = (await download.text()).split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(contacts + 1);
    expect(new Set(lines.slice(1).map((line) => line.split(',')[0])).size).toBe(contacts);

    const [inherited] = await admin
      .fork()
      .execute<{ count: number }[]>(
        `select count(*)::int as count from entity_tag where workspace_id = ? and entity_type = 'session' and tag_id = ?`,
        [workspace.id, tag.id],
      );
    expect(inherited?.count).toBe(sessionsOfContact);
    expect(await findInvariantViolations(admin.fork())).toEqual([]);
  }, 240_000);
});
