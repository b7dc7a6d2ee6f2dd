import type { PropagationJob } from '@tagging/contracts';
import { withJobFinishedEvent } from '../events/event-outbox.ts';
import type { EntityManager } from '../db/database.ts';
import { textArray, toIso } from '../db/sql-values.ts';
import { notFound } from '../errors.ts';
import { uuidv7 } from '../ids.ts';
import type { QueuedPropagation } from '../plain-result.ts';
import { propagationRetryPolicy, recordFailedAttempt, type RetryPolicy } from './job-retries.ts';
import { dueNowSql } from './due-work.ts';

export type JobKind = PropagationJob['kind'];

type JobRow = {
  workspace_id: number;
  id: string;
  kind: JobKind;
  /** Null for `merge-tags`. */
  contact_id: string | null;
  tag_id: string;
  /** `merge-tags` only: the tags merged into `tag_id`. */
  merge_sources: string[] | null;
  /** `merge-tags` only: of `processed_sessions`, the rows that collapsed onto the target's. */
  merge_collapsed: number;
  status: PropagationJob['status'];
  cursor: string | null;
  processed_sessions: number;
  total_sessions: number;
  attempts: number;
  hard_failures: number;
  error: string | null;
  created_at: unknown;
  updated_at: unknown;
};

export const toPropagationJob = (row: JobRow): PropagationJob => ({
  id: row.id,
  kind: row.kind,
  contactId: row.contact_id,
  tagId: row.tag_id,
  ...(row.merge_sources ? { sourceTagIds: row.merge_sources } : {}),
  status: row.status,
  processedSessions: row.processed_sessions,
  totalSessions: row.total_sessions,
  error: row.error,
  createdAt: toIso(row.created_at),
  updatedAt: toIso(row.updated_at),
});

/** Queues a propagation in the same transaction as the contact row it follows. */
export async function enqueuePropagation(
  em: EntityManager,
  workspaceId: number,
  kind: JobKind,
  contactId: string,
  tagId: string,
  totalSessions: number,
): Promise<QueuedPropagation> {
  const id = `job_${uuidv7()}`;
  await em.execute(
    `insert into propagation_job (workspace_id, id, kind, contact_id, tag_id, total_sessions) values (?, ?, ?, ?, ?, ?)`,
    [workspaceId, id, kind, contactId, tagId, totalSessions],
  );
  return { jobId: id, status: 'pending', sessions: totalSessions };
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
 * The job to work on next, locked for this transaction: fair between workspaces, so that one
 * workspace's backlog cannot hold back another's (attack, session 25: 3,700 queued propagations
 * of one workspace delayed another's small merge by about 3 minutes). Of the workspaces with a
 * job due (`run_after`: creation, or the end of a failed batch's backoff or of a worker's lease),
 * the one served least recently (the newest `updated_at` of its started jobs, one probe of
 * `propagation_job_served_idx`; never served comes first), then its job due first that nobody
 * else is working on. Each workspace's "last served" is read once, not once per due job (25 ms
 * against 1.7 ms with 4,000 due jobs: docs/QUERY-PLANS.md). A job left `running` by a worker that
 * died is claimable again at once: its lock went with its connection. As for exports
 * (`claimExport`); a queue claim (skip locked: it waits for nobody), not a row lock of the order
 * that `entity-tags/entity-locks.ts` keeps, so it stays with the queue.
 */
export async function claimJob(em: EntityManager): Promise<ClaimedJob | undefined> {
  // The nested loop walks the workspaces in the sorted order and stops at the first job it locks.
  const [row] = await em.execute<JobRow[]>(
    `select j.* from
       (select w.workspace_id from (select distinct workspace_id from propagation_job where ${dueNowSql}) w
        order by (select max(s.updated_at) from propagation_job s
                  where s.workspace_id = w.workspace_id and s.status <> 'pending') asc nulls first) w
     cross join lateral
       (select * from propagation_job j where j.workspace_id = w.workspace_id and ${dueNowSql}
        order by j.run_after limit 1 for update skip locked) j
     limit 1`,
  );
  return row;
}

/**
 * A committed batch: the cursor moves, the attempt count and the error start again (they
 * describe consecutive failures without progress), and the total never stays below what was processed (`total`:
 * the job's real size, when the batch counted it; `collapsed`: a `merge-tags` batch's rows, of
 * `processed`, that collapsed onto the target's).
 */
export async function recordJobProgress(
  em: EntityManager,
  job: ClaimedJob,
  progress: { cursor: string | null; processed: number; done: boolean; total?: number; collapsed?: number },
): Promise<void> {
  await em.execute(
    withJobFinishedEvent(
      `update propagation_job set cursor = ?, processed_sessions = processed_sessions + ?,
         merge_collapsed = merge_collapsed + ?, total_sessions = greatest(coalesce(?, total_sessions), processed_sessions + ?), status = ?,
         attempts = 0, hard_failures = 0, error = null, updated_at = now()
       where workspace_id = ? and id = ?`,
      'propagation',
    ),
    [
      progress.cursor,
      progress.processed,
      progress.collapsed ?? 0,
      progress.total ?? null,
      progress.processed,
      progress.done ? 'done' : 'running',
      job.workspace_id,
      job.id,
    ],
  );
}

/**
 * A batch that threw, recorded in a transaction of its own: one more consecutive failure, the
 * message, and a backoff before the job is claimed again. A transient failure never fails the
 * job; it fails when `policy.maxAttempts` failures since its last progress were not transient. If even this cannot be written (the
 * database is still away), the job stays as it was and is claimed again: nothing is lost.
 */
export function recordJobFailure(
  em: EntityManager,
  job: ClaimedJob,
  error: unknown,
  policy: RetryPolicy = propagationRetryPolicy,
): Promise<void> {
  return recordFailedAttempt(em, 'propagation', job, error, policy);
}

/** The real number of sessions a job has to go through, counted when it starts. */
export async function countJobSessions(em: EntityManager, job: ClaimedJob): Promise<number> {
  const [row] = await em.execute<{ count: number }[]>(
    job.kind === 'tag-contact'
      ? 'select count(*)::int as count from session where workspace_id = ? and contact_id = ?'
      : `select count(*)::int as count from entity_tag
         where workspace_id = ? and source_entity_type = 'contact' and source_entity_id = ? and tag_id = ?
           and entity_type = 'session' and source_type = 'inherited'`,
    job.kind === 'tag-contact' ? [job.workspace_id, job.contact_id] : [job.workspace_id, job.contact_id, job.tag_id],
  );
  return row?.count ?? 0;
}

/** True while the workspace has unfinished propagations (tests and operators wait on this). */
export async function pendingJobCount(em: EntityManager): Promise<number> {
  const [row] = await em.execute<{ count: number }[]>(
    `select count(*)::int as count from propagation_job where status in ('pending', 'running')`,
  );
  return row?.count ?? 0;
}

/** Unfinished propagations of merged tags go on for the tag they were merged into. */
export async function moveUnfinishedJobsToTag(
  em: EntityManager,
  workspaceId: number,
  fromTagIds: readonly string[],
  toTagId: string,
): Promise<void> {
  // A merge job's sources lose the merged tags (their rows are on the target now) and never hold
  // the job's own target: a merge of P into Q, handed over when Q merges into P, would otherwise
  // "merge P into P" batch after batch, for ever (found by a black-box attack).
  await em.execute(
    `update propagation_job j
     set tag_id = t.tag_id,
         merge_sources = case when j.merge_sources is null then null
                              else array(select s from unnest(j.merge_sources) s
                                         where s <> all(?::text[]) and s <> t.tag_id) end,
         updated_at = now()
     from (select id, case when tag_id = any(?::text[]) then ?::text else tag_id end as tag_id
           from propagation_job
           where workspace_id = ? and status in ('pending', 'running')
             and (tag_id = any(?::text[]) or merge_sources && ?::text[])) t
     where j.workspace_id = ? and j.id = t.id`,
    [
      textArray(fromTagIds),
      textArray(fromTagIds),
      toTagId,
      workspaceId,
      textArray(fromTagIds),
      textArray(fromTagIds),
      workspaceId,
    ],
  );
}
