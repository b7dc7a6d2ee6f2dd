import type { EntityManager } from '../db/database.ts';
import { DomainError, notFound } from '../errors.ts';

/** A background job an operator put back in the queue. */
export type RetriedJob = {
  queue: 'propagation' | 'export';
  id: string;
  workspaceId: number;
  /** `running` when it resumes from its cursor, `pending` when it starts over. */
  status: 'pending' | 'running';
};

const queueOf = (id: string) => (id.startsWith('exp_') ? 'export' : id.startsWith('job_') ? 'propagation' : undefined);

/**
 * Puts a failed propagation (`job_…`) or export (`exp_…`) back in the queue: it is claimed at
 * once, with its attempt count and error cleared, and goes on from its last committed batch (a
 * failed batch committed nothing). Errors: NOT_FOUND for an unknown id; CONFLICT when the job is
 * not `failed` (a queued or running job retries by itself; a finished one has nothing to redo).
 * Operators only (the CLI): not scoped to a workspace, and looks the id up across all of them.
 */
export async function retryFailedJob(em: EntityManager, id: string): Promise<RetriedJob> {
  const queue = queueOf(id);
  if (!queue) throw notFound('job', id);
  const table = queue === 'export' ? 'contact_export' : 'propagation_job';
  // An export that wrote a chunk has its header and total already; a propagation with processed
  // sessions has its cursor and real total: either resumes as running.
  const started = queue === 'export' ? 'chunks > 0' : 'processed_sessions > 0';
  const [row] = await em.execute<{ workspace_id: number; id: string; status: RetriedJob['status'] }[]>(
    `update ${table} set status = case when ${started} then 'running' else 'pending' end,
       attempts = 0, error = null, run_after = now(), updated_at = now()
     where id = ? and status = 'failed'
     returning workspace_id, id, status`,
    [id],
  );
  if (row) return { queue, id: row.id, workspaceId: row.workspace_id, status: row.status };
  const [existing] = await em.execute<{ status: string }[]>(`select status from ${table} where id = ?`, [id]);
  if (!existing) throw notFound('job', id);
  throw new DomainError('CONFLICT', `job ${id} is ${existing.status}, not failed: only a failed job can be retried`);
}
