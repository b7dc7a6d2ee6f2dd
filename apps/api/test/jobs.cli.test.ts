import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createWorkspaceWithKey, openAndMigrateIfEmbedded, type Database } from '@tagging/domain';
import { openTestDatabase, type TestDatabase } from '@tagging/domain/testing';
import type {} from '../testing/global-setup.ts';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

/** `pnpm cli jobs retry` as an operator runs it: a child process on the configured database. */
let env: Record<string, string>;
let dataDir: string;
let postgres: TestDatabase | undefined;
const failedJob = 'job_01a22c2c-0000-7000-8000-000000000001';
const failedExport = 'exp_01a22c2c-0000-7000-8000-000000000002';
const doneJob = 'job_01a22c2c-0000-7000-8000-000000000003';

type CliResult = { code: number; stdout: string; stderr: string };
const run = (...args: string[]) =>
  new Promise<CliResult>((resolve) => {
    execFile(process.execPath, [cli, ...args], { env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });

/** A failed propagation, a failed export that had written a chunk, and a finished job. */
async function seed(db: Database): Promise<void> {
  const { workspace } = await createWorkspaceWithKey(db.fork(), 'Operators');
  const em = db.fork();
  await em.execute(
    `insert into propagation_job (workspace_id, id, kind, contact_id, tag_id, status, attempts, hard_failures, error)
     values (?, ?, 'tag-contact', 'contact_x', 'wtag_x', 'failed', 5, 5, 'boom'),
            (?, ?, 'tag-contact', 'contact_x', 'wtag_x', 'done', 0, 0, null)`,
    [workspace.id, failedJob, workspace.id, doneJob],
  );
  await em.execute(
    `insert into contact_export (workspace_id, id, format, criteria, status, chunks, attempts, hard_failures, error)
     values (?, ?, 'csv', '{}'::jsonb, 'failed', 2, 3, 3, 'export batch failed: boom')`,
    [workspace.id, failedExport],
  );
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'tagging-jobs-cli-'));
  const template = inject('testDatabaseTemplate');
  if (template.kind === 'postgres') {
    postgres = await openTestDatabase(template);
    await seed(postgres.db);
    env = { DATABASE_URL: postgres.url ?? '' };
  } else {
    const db = await openAndMigrateIfEmbedded({ target: { kind: 'pglite', dataDir } });
    await seed(db);
    await db.close();
    env = { DATA_DIR: dataDir, DATABASE_URL: '' };
  }
}, 60_000);
afterAll(async () => {
  await postgres?.dispose();
  await rm(dataDir, { recursive: true, force: true });
});

describe('pnpm cli jobs retry', () => {
  it('puts a failed propagation and a failed export back in the queue', async () => {
    const job = await run('jobs', 'retry', failedJob, '--json');
    expect(job.code, job.stderr).toBe(0);
    expect(JSON.parse(job.stdout)).toEqual({
      job: { queue: 'propagation', id: failedJob, workspaceId: expect.any(Number), status: 'pending' },
    });
    const exported = await run('jobs', 'retry', failedExport);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(new RegExp(`export ${failedExport} \\(workspace \\d+\\) queued again as running`));
  }, 60_000);

  it('refuses what is not failed, unknown ids and a missing id, with its usual exit codes', async () => {
    const again = await run('jobs', 'retry', failedJob, '--json');
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toEqual({
      error: `job ${failedJob} is pending, not failed: only a failed job can be retried`,
    });
    const done = await run('jobs', 'retry', doneJob, '--json');
    expect(JSON.parse(done.stdout)).toEqual({
      error: `job ${doneJob} is done, not failed: only a failed job can be retried`,
    });
    const unknown = await run('jobs', 'retry', 'job_nope', '--json');
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stdout)).toEqual({ error: 'job job_nope not found' });
    const missing = await run('jobs', 'retry');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing required argument 'jobId'");
    expect(missing.stderr).toContain('usage: ./pnpm cli jobs retry');
  }, 120_000);
});
