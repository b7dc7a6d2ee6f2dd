import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PropagationJob } from '@tagging/contracts';
import {
  createExport,
  deleteExpiredBackgroundWork,
  findInvariantViolations,
  getExport,
  getPropagationJob,
  retryFailedJob,
  runExportBatch,
  runPropagationBatch,
  startBackgroundWorker,
} from '@tagging/domain';
import type { ContactExport } from '@tagging/domain';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { fixture, type WorkspaceFixture } from '../testing/workspace-fixture.ts';

/**
 * The background queues' policies, driven batch by batch (no worker unless a test starts one),
 * on PGlite and on PostgreSQL: failed batches back off and transient ones never fail a job; an
 * operator retries a failed one; progress figures stay true; exports are scheduled fairly
 * between workspaces and capped per workspace; finished work is deleted after its retention.
 */
let server: TestServer;
let ws: WorkspaceFixture;

beforeAll(async () => {
  server = await startTestServer({ propagation: { syncFanOutLimit: 2 }, worker: false });
  ws = await fixture(server, 'Jobs');
});
afterAll(() => server.close());

const sql = <T extends Record<string, unknown>[] = Record<string, unknown>[]>(
  statement: string,
  params: unknown[] = [],
) => server.db.fork().execute<T>(statement, params);

/** A contact with `sessions` sessions, tagged: a deferred propagation above the limit of 2. */
async function deferredTagging(sessions: number, name: string, of: WorkspaceFixture = ws) {
  const tag = (await of.tag({ name })).id;
  const contact = (await of.contact()).id;
  const bulk = await of.rest.POST('/sessions/bulk', {
    body: { sessions: Array.from({ length: sessions }, () => ({ contactId: contact })) },
  });
  expect(bulk.response.status).toBeLessThan(300);
  const { data: tagged } = await of.rest.POST('/entity-tags/contacts/{contactId}/tags', {
    ...of.scoped({ contactId: contact }),
    body: { tagId: tag },
  });
  return { tag, contact, jobId: tagged?.deferred?.jobId ?? '' };
}

type JobRow = { status: string; attempts: number; hard_failures: number; error: string | null; due_in_ms: number };
const jobRow = async (jobId: string) =>
  (
    await sql<JobRow[]>(
      `select status, attempts, hard_failures, error,
              extract(epoch from run_after - now()) * 1000 as due_in_ms
       from propagation_job where id = ?`,
      [jobId],
    )
  )[0];
const makeDue = (jobId: string) => sql(`update propagation_job set run_after = now() where id = ?`, [jobId]);

/** Every insert into entity_tag fails with the SQLSTATE in `fault_switch`, while there is one. */
async function installFaultSwitch() {
  await sql('create table fault_switch (code text not null)');
  await sql(`create function raise_fault() returns trigger language plpgsql as $$
    declare wanted text;
    begin
      select code into wanted from fault_switch limit 1;
      if wanted is not null then raise exception 'injected fault' using errcode = wanted; end if;
      return new;
    end $$`);
  await sql('create trigger inject_fault before insert on entity_tag for each row execute function raise_fault()');
}
async function removeFaultSwitch() {
  await sql('drop trigger inject_fault on entity_tag');
  await sql('drop function raise_fault()');
  await sql('drop table fault_switch');
}
const setFault = async (code: string | null) => {
  await sql('delete from fault_switch');
  if (code) await sql('insert into fault_switch (code) values (?)', [code]);
};

describe('failed batches', () => {
  it('back off; transient failures never fail the job, others do after 5; an operator retries it', async () => {
    const { tag, jobId } = await deferredTagging(5, 'Flaky');
    await installFaultSwitch();
    try {
      // A serialization failure (40001) from the database itself, seven times: more than the
      // limit of five, and the job is still waiting for its next turn, with a backoff.
      await setFault('40001');
      for (let attempt = 1; attempt <= 7; attempt++) {
        await expect(runPropagationBatch(server.db, 2)).rejects.toThrow();
        const row = await jobRow(jobId);
        expect(row).toMatchObject({ status: 'pending', attempts: attempt, hard_failures: 0 });
        expect(row?.error).toContain('transient');
        expect(row?.error).toContain('40001');
        // Full jitter under a doubling ceiling (100 ms × 2^(attempt − 1), at most 10 s).
        expect(Number(row?.due_in_ms)).toBeLessThanOrEqual(Math.min(10_000, 100 * 2 ** (attempt - 1)) + 50);
        // Not claimed before its time: another call finds nothing due (unless the jitter was ~0).
        if (Number(row?.due_in_ms) > 200) expect(await runPropagationBatch(server.db, 2)).toBe(false);
        await makeDue(jobId);
      }

      // A fault that is not transient (an error raised by a trigger, P0001): five in a row fail
      // the job for good, the transient ones before them not counted.
      await setFault('P0001');
      for (let attempt = 1; attempt <= 5; attempt++) {
        await expect(runPropagationBatch(server.db, 2)).rejects.toThrow('injected fault');
        expect(await jobRow(jobId)).toMatchObject({
          status: attempt < 5 ? 'pending' : 'failed',
          attempts: 7 + attempt,
          hard_failures: attempt,
        });
        await makeDue(jobId);
      }
      expect(await runPropagationBatch(server.db, 2)).toBe(false);
      const failed = await getPropagationJob(server.db.fork(), ws.id, jobId);
      // Its client sees the error's code, not the database's message (the log has that).
      expect(failed).toMatchObject({
        status: 'failed',
        error: 'an internal error (P0001); the service log has the details',
      });
      // Still pending or running jobs are not "retried": only a failed one.
      await expect(retryFailedJob(server.db.fork(), 'job_00000000-0000-7000-8000-000000000000')).rejects.toThrow(
        'not found',
      );

      // The operator fixes the cause and retries: the job resumes and finishes.
      await setFault(null);
      expect(await retryFailedJob(server.db.fork(), jobId)).toEqual({
        queue: 'propagation',
        id: jobId,
        workspaceId: ws.id,
        status: 'pending',
      });
      await expect(retryFailedJob(server.db.fork(), jobId)).rejects.toThrow('not failed');
      while (await runPropagationBatch(server.db, 2));
      expect(await getPropagationJob(server.db.fork(), ws.id, jobId)).toMatchObject({
        status: 'done',
        processedSessions: 5,
        totalSessions: 5,
        error: null,
      });
      expect(await jobRow(jobId)).toMatchObject({ attempts: 0, hard_failures: 0 });
      const [count] = await sql<{ count: number }[]>(
        `select count(*)::int as count from entity_tag where entity_type = 'session' and tag_id = ?`,
        [tag],
      );
      expect(count?.count).toBe(5);
    } finally {
      await removeFaultSwitch();
    }
    expect(await findInvariantViolations(server.db.fork())).toEqual([]);
  });

  it('count only failures without progress: a batch that commits starts the count again', async () => {
    const { jobId } = await deferredTagging(7, 'Progress resets');
    await installFaultSwitch();
    try {
      await setFault('P0001');
      for (let i = 0; i < 4; i++) {
        await expect(runPropagationBatch(server.db, 2)).rejects.toThrow();
        await makeDue(jobId);
      }
      expect(await jobRow(jobId)).toMatchObject({ status: 'pending', attempts: 4, hard_failures: 4 });
      await setFault(null);
      expect(await runPropagationBatch(server.db, 2)).toBe(true);
      expect(await jobRow(jobId)).toMatchObject({ status: 'running', attempts: 0, hard_failures: 0, error: null });
      await setFault('P0001');
      await expect(runPropagationBatch(server.db, 2)).rejects.toThrow();
      expect(await jobRow(jobId)).toMatchObject({ status: 'running', attempts: 1, hard_failures: 1 });
    } finally {
      await setFault(null);
      await removeFaultSwitch();
    }
    await makeDue(jobId);
    while (await runPropagationBatch(server.db, 2));
    expect((await jobRow(jobId))?.status).toBe('done');
  });

  it('of exports retry too, and an operator retry resumes a failed export where it stopped', async () => {
    const view = await createExport(server.db.fork(), ws.id, { format: 'csv', tagIds: [], excludeTagIds: [] });
    // The export's chunk insert fails (a check constraint the test adds): not transient.
    await sql(`alter table contact_export_chunk add constraint no_chunks check (seq < 0) not valid`);
    try {
      for (let i = 0; i < 3; i++) {
        await expect(runExportBatch(server.db, 2)).rejects.toThrow();
        await sql(`update contact_export set run_after = now() where id = ?`, [view.id]);
      }
      expect(await getExport(server.db.fork(), ws.id, view.id)).toMatchObject({
        status: 'failed',
        error: 'export batch failed: an internal error (23514); the service log has the details',
      });
    } finally {
      await sql('alter table contact_export_chunk drop constraint no_chunks');
    }
    expect(await retryFailedJob(server.db.fork(), view.id)).toMatchObject({ queue: 'export', status: 'pending' });
    while (await runExportBatch(server.db, 2));
    const done = await getExport(server.db.fork(), ws.id, view.id);
    expect(done).toMatchObject({ status: 'done', error: null, progress: 1 });
    expect(done.rowsWritten).toBe(done.totalRows);
  });

  it('of an export or a tag merge checks their tags as a new one would (session 24: a retried export was built over a tag being merged)', async () => {
    const fail = (table: string, id: string) =>
      sql(`update ${table} set status = 'failed', error = 'boom' where id = ?`, [id]);
    const [kept, deleted, merging, target] = await Promise.all([ws.tag(), ws.tag(), ws.tag(), ws.tag()]);
    for (let i = 0; i < 3; i++) await ws.tagContact(await ws.contact(), merging);
    const gone = await createExport(server.db.fork(), ws.id, {
      format: 'csv',
      tagIds: [kept.id],
      excludeTagIds: [deleted.id],
    });
    const moved = await createExport(server.db.fork(), ws.id, {
      format: 'csv',
      tagIds: [],
      excludeTagIds: [merging.id],
    });
    await fail('contact_export', gone.id);
    await fail('contact_export', moved.id);
    // Failed exports hold no tag: the tags can be deleted and merged (in the background: 3 rows).
    expect((await ws.rest.DELETE('/tags/{id}', { params: { path: { id: deleted.id } } })).response.status).toBe(200);
    const merge = await ws.rest.POST('/tags/{id}/merge', {
      params: { path: { id: target.id } },
      body: { sourceTagIds: [merging.id] },
    });
    const mergeJob = merge.data?.deferred?.jobId ?? '';
    expect(mergeJob).toMatch(/^job_/);

    await expect(retryFailedJob(server.db.fork(), gone.id)).rejects.toThrow(
      `export ${gone.id} filters on tag ${deleted.id}, deleted or merged into another since it was requested`,
    );
    await expect(retryFailedJob(server.db.fork(), moved.id)).rejects.toThrow(`tag merge job ${mergeJob}`);
    for (const id of [gone.id, moved.id])
      expect(await getExport(server.db.fork(), ws.id, id)).toMatchObject({ status: 'failed' });

    // A failed merge job: meanwhile an export over its target is queued; its retry waits for it.
    await fail('propagation_job', mergeJob);
    const over = await createExport(server.db.fork(), ws.id, { format: 'csv', tagIds: [target.id], excludeTagIds: [] });
    await expect(retryFailedJob(server.db.fork(), mergeJob)).rejects.toThrow(`export ${over.id}`);
    while (await runExportBatch(server.db, 100));
    // Once it is built, the merge goes on, and a retried export over its tags waits for it.
    expect(await retryFailedJob(server.db.fork(), mergeJob)).toMatchObject({ queue: 'propagation', status: 'pending' });
    await expect(retryFailedJob(server.db.fork(), moved.id)).rejects.toThrow(`tag merge job ${mergeJob}`);
    while (await runPropagationBatch(server.db, 100));
    expect(await getPropagationJob(server.db.fork(), ws.id, mergeJob)).toMatchObject({ status: 'done' });
    // Merged away now: the export names a tag that is gone.
    await expect(retryFailedJob(server.db.fork(), moved.id)).rejects.toThrow(`filters on tag ${merging.id}`);

    // A failed merge whose target, or whose every merged tag, went meanwhile has nothing to do.
    for (const [gone, refusal] of [
      ['target', 'its target tag {gone} is gone'],
      ['source', 'every tag it merges is gone'],
    ] as const) {
      const [target, source] = [await ws.tag(), await ws.tag()];
      for (let i = 0; i < 3; i++) await ws.tagContact(await ws.contact(), source);
      const merged = await ws.rest.POST('/tags/{id}/merge', {
        params: { path: { id: target.id } },
        body: { sourceTagIds: [source.id] },
      });
      const jobId = merged.data?.deferred?.jobId ?? '';
      await fail('propagation_job', jobId);
      const goneId = gone === 'target' ? target.id : source.id;
      expect((await ws.rest.DELETE('/tags/{id}', { params: { path: { id: goneId } } })).response.status).toBe(200);
      await expect(retryFailedJob(server.db.fork(), jobId)).rejects.toThrow(refusal.replace('{gone}', goneId));
      expect(await getPropagationJob(server.db.fork(), ws.id, jobId)).toMatchObject({ status: 'failed' });
    }

    // A retried export holds its tags again: deleting one is a 409 naming it.
    const held = await createExport(server.db.fork(), ws.id, { format: 'csv', tagIds: [kept.id], excludeTagIds: [] });
    await fail('contact_export', held.id);
    expect(await retryFailedJob(server.db.fork(), held.id)).toMatchObject({ queue: 'export' });
    const refused = await ws.rest.DELETE('/tags/{id}', { params: { path: { id: kept.id } } });
    expect(refused.response.status).toBe(409);
    expect(JSON.stringify(refused.error)).toContain(held.id);
    while (await runExportBatch(server.db, 100));
  });
});

describe('progress figures', () => {
  it('of a propagation count every session, past the synchronous limit, and never pass 100 %', async () => {
    const { contact, tag, jobId } = await deferredTagging(9, 'Counted');
    // The request counted up to its limit (2) + 1; the first batch counts them all.
    expect((await getPropagationJob(server.db.fork(), ws.id, jobId)).totalSessions).toBe(3);
    const seen: PropagationJob[] = [];
    while (await runPropagationBatch(server.db, 4)) seen.push(await getPropagationJob(server.db.fork(), ws.id, jobId));
    expect(seen.map((job) => [job.processedSessions, job.totalSessions])).toEqual([
      [4, 9],
      [8, 9],
      [9, 9],
    ]);

    // The untag of the same contact: a few go at once, the rest in a job whose total is exact.
    const { data: untagged } = await ws.rest.DELETE(
      '/entity-tags/contacts/{contactId}/tags/{tagId}',
      ws.scoped({ contactId: contact, tagId: tag }),
    );
    if (!untagged) throw new Error('the untag was refused');
    const untagJob = untagged.deferred?.jobId ?? '';
    expect(untagJob).toMatch(/^job_/);
    while (await runPropagationBatch(server.db, 1));
    const finished = await getPropagationJob(server.db.fork(), ws.id, untagJob);
    const left = 9 - untagged.removedFromSessions;
    expect(finished).toMatchObject({ status: 'done', processedSessions: left, totalSessions: left });
  });

  it('of an export stay true when contacts are added while it runs', async () => {
    const other = await fixture(server, 'Growing');
    for (let i = 0; i < 5; i++) await other.contact({ name: `Early ${i}` });
    const view = await createExport(server.db.fork(), other.id, { format: 'jsonl', tagIds: [], excludeTagIds: [] });
    const views: ContactExport[] = [];
    expect(await runExportBatch(server.db, 2)).toBe(true);
    views.push(await getExport(server.db.fork(), other.id, view.id));
    // Added after the count; their ids sort after the cursor, so the export includes them.
    for (let i = 0; i < 3; i++) await other.contact({ name: `Late ${i}` });
    while (await runExportBatch(server.db, 2)) views.push(await getExport(server.db.fork(), other.id, view.id));
    for (const step of views) {
      expect(step.rowsWritten).toBeLessThanOrEqual(step.totalRows ?? 0);
      expect(step.progress).toBeLessThanOrEqual(1);
    }
    expect(views.at(-1)).toMatchObject({ status: 'done', rowsWritten: 8, totalRows: 8, progress: 1 });
  });
});

describe('propagations between workspaces', () => {
  it('are scheduled fairly: a small job is not held back by another workspace’s backlog (session 25: ~3 min behind 3,700 jobs)', async () => {
    while (await runPropagationBatch(server.db, 100));
    const busy = await fixture(server, 'Busy propagations');
    const small = await fixture(server, 'Small propagations');
    const backlog = [];
    for (let i = 0; i < 6; i++) backlog.push((await deferredTagging(3, `Backlog ${i}`, busy)).jobId);
    // The busy workspace is served once; then the other queues its job, last in `run_after` order.
    expect(await runPropagationBatch(server.db, 2)).toBe(true);
    const { jobId } = await deferredTagging(3, 'Small job', small);
    const progress = async (of: WorkspaceFixture, id: string) =>
      (await getPropagationJob(server.db.fork(), of.id, id)).processedSessions;

    // The next batch goes to the workspace not served yet; then the two take turns.
    expect(await runPropagationBatch(server.db, 2)).toBe(true);
    expect(await progress(small, jobId)).toBe(2);
    expect(await runPropagationBatch(server.db, 2)).toBe(true);
    expect(await runPropagationBatch(server.db, 2)).toBe(true);
    expect(await getPropagationJob(server.db.fork(), small.id, jobId)).toMatchObject({
      status: 'done',
      processedSessions: 3,
    });
    const busyJobs = await Promise.all(backlog.map((id) => getPropagationJob(server.db.fork(), busy.id, id)));
    expect(busyJobs.filter((job) => job.status === 'pending')).toHaveLength(5);
    // Within a workspace, the order stays: its oldest job first.
    expect(busyJobs[0]).toMatchObject({ status: 'done', processedSessions: 3 });
    while (await runPropagationBatch(server.db, 100));
  });
});

describe('exports between workspaces', () => {
  it('are scheduled fairly: a small export is not held back by another workspace’s queue', async () => {
    const busy = await fixture(server, 'Busy');
    const small = await fixture(server, 'Small');
    for (let i = 0; i < 3; i++) await busy.contact({ name: `Busy ${i}` });
    await small.contact({ name: 'Only one' });
    const settings = { maxActivePerWorkspace: 100 };
    const queued = [];
    for (let i = 0; i < 20; i++)
      queued.push(
        await createExport(server.db.fork(), busy.id, { format: 'csv', tagIds: [], excludeTagIds: [] }, settings),
      );
    const smallExport = await createExport(server.db.fork(), small.id, {
      format: 'csv',
      tagIds: [],
      excludeTagIds: [],
    });

    // One batch (of 2 contacts) goes to the busy workspace's oldest export; the next goes to the
    // workspace not served yet, whatever the other has queued.
    expect(await runExportBatch(server.db, 2)).toBe(true);
    expect(await runExportBatch(server.db, 2)).toBe(true);
    expect((await getExport(server.db.fork(), small.id, smallExport.id)).status).toBe('done');
    const busyDone = (await Promise.all(queued.map((view) => getExport(server.db.fork(), busy.id, view.id)))).filter(
      (view) => view.status !== 'pending',
    );
    expect(busyDone).toHaveLength(1);
    while (await runExportBatch(server.db, 2));
  });

  it('are capped per workspace: 429 with Retry-After beyond it, on REST and tRPC; nothing is queued', async () => {
    const capped = await fixture(server, 'Capped');
    const created: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { data, response } = await capped.rest.POST('/exports', { body: { format: 'csv' } });
      expect(response.status).toBe(202);
      created.push(data?.id ?? '');
    }
    const refused = await capped.rest.POST('/exports', { body: { format: 'csv' } });
    expect(refused.response.status).toBe(429);
    expect(refused.response.headers.get('retry-after')).toBe('10');
    expect(refused.error).toEqual({
      code: 'RATE_LIMITED',
      message: 'this workspace already has 5 exports queued or running; retry when one finishes',
    });
    const trpc = await fetch(`${server.url}/trpc/exports.create`, {
      method: 'POST',
      headers: { authorization: `Bearer ${capped.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ format: 'csv' }),
    });
    expect(trpc.status).toBe(429);
    expect(trpc.headers.get('retry-after')).toBe('10');
    expect(await trpc.json()).toMatchObject({ error: { data: { errorCode: 'RATE_LIMITED', httpStatus: 429 } } });
    const [count] = await sql<{ count: number }[]>(
      'select count(*)::int as count from contact_export where workspace_id = ?',
      [capped.id],
    );
    expect(count?.count).toBe(5);
    // Another workspace is not affected; once one of these finishes, a new one is accepted.
    expect((await ws.rest.POST('/exports', { body: { format: 'csv' } })).response.status).toBe(202);
    while (await runExportBatch(server.db, 100));
    const again = await capped.rest.POST('/exports', { body: { format: 'csv' } });
    expect(again.response.status).toBe(202);
    expect(again.response.headers.get('retry-after')).toBeNull();
    while (await runExportBatch(server.db, 100));
  });
});

describe('retention', () => {
  it('deletes finished jobs and expired exports (with their files), and nothing unfinished or recent', async () => {
    const keep = await fixture(server, 'Retention');
    await keep.contact({ name: 'Kept' });
    const exportOf = () => createExport(server.db.fork(), keep.id, { format: 'csv', tagIds: [], excludeTagIds: [] });
    const old = await exportOf();
    const recent = await exportOf();
    while (await runExportBatch(server.db, 100));
    const unfinished = await exportOf();
    const oldJob = (await deferredTagging(3, 'Old job')).jobId;
    while (await runPropagationBatch(server.db, 100));
    const pendingJob = (await deferredTagging(3, 'Still pending')).jobId;
    // Eight days ago (the queued ones too: age alone never deletes unfinished work).
    await sql(`update contact_export set updated_at = now() - interval '8 days' where id in (?, ?)`, [
      old.id,
      unfinished.id,
    ]);
    await sql(`update propagation_job set updated_at = now() - interval '8 days' where id in (?, ?)`, [
      oldJob,
      pendingJob,
    ]);
    const [chunks] = await sql<{ count: number }[]>(
      'select count(*)::int as count from contact_export_chunk where export_id = ?',
      [old.id],
    );
    expect(chunks?.count).toBeGreaterThan(0);

    const day = 24 * 60 * 60 * 1000;
    expect(
      await deleteExpiredBackgroundWork(
        server.db,
        { jobRetentionMs: 7 * day },
        { maxActivePerWorkspace: 5, expiryMs: 7 * day },
      ),
    ).toEqual({
      jobs: 1,
      exports: 1,
      idempotencyKeys: 0,
    });
    const status = async (id: string) =>
      (await keep.rest.GET('/exports/{id}', { params: { path: { id } } })).response.status;
    expect(await status(old.id)).toBe(404);
    // The download is a file, not JSON: read raw.
    expect((await keep.raw('GET', `/api/exports/${old.id}/download`)).status).toBe(404);
    expect(await status(recent.id)).toBe(200);
    expect(await status(unfinished.id)).toBe(200);
    const [left] = await sql<{ count: number }[]>(
      'select count(*)::int as count from contact_export_chunk where export_id = ?',
      [old.id],
    );
    expect(left?.count).toBe(0);
    await expect(getPropagationJob(server.db.fork(), ws.id, oldJob)).rejects.toThrow('not found');
    expect((await getPropagationJob(server.db.fork(), ws.id, pendingJob)).status).toBe('pending');

    // The worker does the same by itself, with the configured retention.
    await sql(`update contact_export set updated_at = now() - interval '2 hours' where id = ?`, [recent.id]);
    const worker = startBackgroundWorker(server.db, {
      idleMs: 10,
      retention: { jobRetentionMs: day },
      exports: { maxActivePerWorkspace: 5, expiryMs: 60 * 60 * 1000 },
    });
    for (let i = 0; i < 200 && (await status(recent.id)) === 200; i++) await new Promise((r) => setTimeout(r, 20));
    await worker.stop();
    expect(await status(recent.id)).toBe(404);
  });
});

describe('cancelling an export (DELETE /api/exports/{id})', () => {
  const chunksOf = async (id: string) =>
    (
      await sql<{ count: number }[]>('select count(*)::int as count from contact_export_chunk where export_id = ?', [
        id,
      ])
    )[0]?.count;
  const manyContacts = async (name: string, count: number) => {
    const owner = await fixture(server, name);
    await sql(
      `insert into contact (workspace_id, id, name) select ?, 'contact_' || tagging_uuid_v7(), 'C ' || i from generate_series(1, ?) i`,
      [owner.id, count],
    );
    return owner;
  };

  it('of a queued or half-built export leaves nothing, and the worker finds nothing to do', async () => {
    const owner = await manyContacts('Cancel queued', 30);
    const queued = await owner.trpc.exports.create.mutate({ format: 'csv' });
    const started = await owner.trpc.exports.create.mutate({ format: 'xlsx' });
    // One batch of the first export claimed (the oldest), then the second's first batch.
    expect(await runExportBatch(server.db, 10)).toBe(true);
    expect(await runExportBatch(server.db, 10)).toBe(true);
    expect(await getExport(server.db.fork(), owner.id, started.id)).toMatchObject({
      status: 'running',
      rowsWritten: 10,
    });
    expect(await chunksOf(started.id)).toBe(1);
    for (const view of [queued, started]) {
      expect(await owner.trpc.exports.delete.mutate({ id: view.id })).toEqual({ success: true });
      expect((await owner.rest.GET('/exports/{id}', { params: { path: { id: view.id } } })).response.status).toBe(404);
      expect(await chunksOf(view.id)).toBe(0);
    }
    expect(await runExportBatch(server.db, 10)).toBe(false);
  });

  it('of an export being built stops the worker at its next batch', async () => {
    const owner = await manyContacts('Cancel running', 100);
    const view = await owner.trpc.exports.create.mutate({ format: 'jsonl' });
    const batches: number[] = [];
    // One long slice of small batches, as the worker runs it; the export is deleted after its
    // first batch is stored, while the second is already being written (the delete waits for it).
    const building = runExportBatch(server.db, {
      batchSize: 5,
      sliceMs: 120_000,
      onBatch: async ({ exportId, rowsWritten }) => {
        expect(exportId).toBe(view.id);
        batches.push(rowsWritten);
        if (batches.length === 1) {
          const deleted = await owner.rest.DELETE('/exports/{id}', { params: { path: { id: view.id } } });
          expect(deleted.response.status).toBe(200);
        }
      },
    });
    // The slice ends at the batch after those in flight (it would otherwise store 20, or fail
    // writing chunks of a deleted export), and nothing of the export is left.
    await expect(building).resolves.toBe(true);
    expect([[5], [5, 10]]).toContainEqual(batches);
    expect(await chunksOf(view.id)).toBe(0);
    const [left] = await sql<{ count: number }[]>('select count(*)::int as count from contact_export where id = ?', [
      view.id,
    ]);
    expect(left?.count).toBe(0);
    expect(await runExportBatch(server.db, 5)).toBe(false);
  });
});
