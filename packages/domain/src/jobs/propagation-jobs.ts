import type { DeferredPropagation, PropagationJob } from '@tagging/contracts';
import type { EntityManager } from '../db/database.ts';
import { toIso } from '../db/sql-values.ts';
import { notFound } from '../errors.ts';
import { uuidv7 } from '../ids.ts';

export type JobKind = PropagationJob['kind'];

type JobRow = {
  workspace_id: number;
  id: string;
  kind: JobKind;
  contact_id: string;
  tag_id: string;
  status: PropagationJob['status'];
  cursor: string | null;
  processed_sessions: number;
  total_sessions: number;
  attempts: number;
  error: string | null;
  created_at: unknown;
  updated_at: unknown;
};

export const toPropagationJob = (row: JobRow): PropagationJob => ({
  id: row.id,
  kind: row.kind,
  contactId: row.contact_id,
  tagId: row.tag_id,
  status: row.status,
  processedSessions: row.processed_sessions,
  totalSessions: row.total_sessions,
  error: row.error,
  createdAt: toIso(row.created_at),
  updatedAt: toIso(row.updated_at),
});

export const statusUrlOf = (workspaceId: number, jobId: string) =>
  `/api/entity-tags/jobs/${jobId}?workspaceId=${workspaceId}`;

/** Queues a propagation in the same transaction as the contact row it follows. */
export async function enqueuePropagation(
  em: EntityManager,
  workspaceId: number,
  kind: JobKind,
  contactId: string,
  tagId: string,
  totalSessions: number,
): Promise<DeferredPropagation> {
  const id = `job_${uuidv7()}`;
  await em.execute(
    `insert into propagation_job (workspace_id, id, kind, contact_id, tag_id, total_sessions) values (?, ?, ?, ?, ?, ?)`,
    [workspaceId, id, kind, contactId, tagId, totalSessions],
  );
  return { jobId: id, status: 'pending', sessions: totalSessions, statusUrl: statusUrlOf(workspaceId, id) };
}

export async function getPropagationJob(
  em: EntityManager,
  workspaceId: number,
  jobId: string,
): Promise<PropagationJob> {
  const [row] = await em.execute<JobRow[]>('select * from propagation_job where workspace_id = ? and id = ?', [
    workspaceId,
    jobId,
  ]);
  if (!row) throw notFound('job', jobId);
  return toPropagationJob(row);
}

export type ClaimedJob = JobRow;

/**
 * The oldest unfinished job nobody else is working on, locked for this transaction. A queue
 * claim (skip locked: it waits for nobody), not a row lock of the order that
 * `entity-tags/entity-locks.ts` keeps, so it stays with the queue.
 */
export async function claimJob(em: EntityManager): Promise<ClaimedJob | undefined> {
  const [row] = await em.execute<JobRow[]>(
    `select * from propagation_job where status in ('pending', 'running')
     order by created_at limit 1 for update skip locked`,
  );
  return row;
}

export async function recordJobProgress(
  em: EntityManager,
  job: ClaimedJob,
  progress: { cursor: string | null; processed: number; done: boolean },
): Promise<void> {
  await em.execute(
    `update propagation_job set cursor = ?, processed_sessions = processed_sessions + ?, status = ?,
       updated_at = now() where workspace_id = ? and id = ?`,
    [progress.cursor, progress.processed, progress.done ? 'done' : 'running', job.workspace_id, job.id],
  );
}

const maxAttempts = 5;

/** A batch that threw: counted, and the job fails for good after a few attempts. */
export async function recordJobFailure(em: EntityManager, jobId: string, message: string): Promise<void> {
  await em.execute(
    `update propagation_job set attempts = attempts + 1, error = ?,
       status = case when attempts + 1 >= ? then 'failed' else status end, updated_at = now()
     where id = ?`,
    [message, maxAttempts, jobId],
  );
}

/** True while the workspace has unfinished propagations (tests and operators wait on this). */
export async function pendingJobCount(em: EntityManager): Promise<number> {
  const [row] = await em.execute<{ count: number }[]>(
    `select count(*)::int as count from propagation_job where status in ('pending', 'running')`,
  );
  return row?.count ?? 0;
}
