import type { EntityManager } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { lockTags } from '../entity-tags/entity-locks.ts';
import { DomainError, notFound } from '../errors.ts';
import { requireExportTags } from '../exports/contact-exports.ts';
import { refuseTagsBeingMerged, refuseTagsOfUnfinishedExports } from '../tags/tag-uses.ts';

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
 * not `failed` (a queued or running job retries by itself; a finished one has nothing to redo),
 * and when the tags it works on are not as a new job of its kind needs them (`refuseChangedTags`).
 * Operators only (the CLI): not scoped to a workspace, and looks the id up across all of them.
 */
export async function retryFailedJob(em: EntityManager, id: string): Promise<RetriedJob> {
  const queue = queueOf(id);
  if (!queue) throw notFound('job', id);
  const table = queue === 'export' ? 'contact_export' : 'propagation_job';
  return inTransaction(em, async (em) => {
    const [job] = await em.execute<FailedJobRow[]>(
      queue === 'export'
        ? `select workspace_id, status, 'export' as kind,
                  array(select jsonb_array_elements_text(criteria->'tagIds')
                        union all select jsonb_array_elements_text(criteria->'excludeTagIds')) as tags
           from contact_export where id = ? for update`
        : `select workspace_id, status, kind, array_prepend(tag_id, coalesce(merge_sources, '{}')) as tags
           from propagation_job where id = ? for update`,
      [id],
    );
    if (!job) throw notFound('job', id);
    if (job.status !== 'failed')
      throw new DomainError('CONFLICT', `job ${id} is ${job.status}, not failed: only a failed job can be retried`);
    await refuseChangedTags(em, id, job);
    // An export that wrote a chunk has its header and total already; a propagation with processed
    // sessions has its cursor and real total: either resumes as running.
    const started = queue === 'export' ? 'chunks > 0' : 'processed_sessions > 0';
    const [row] = await em.execute<{ status: RetriedJob['status'] }[]>(
      `update ${table} set status = case when ${started} then 'running' else 'pending' end,
         attempts = 0, error = null, run_after = now(), updated_at = now()
       where id = ? returning status`,
      [id],
    );
    return { queue, id, workspaceId: job.workspace_id, status: row?.status ?? 'pending' };
  });
}

type FailedJobRow = { workspace_id: number; status: string; kind: string; tags: string[] };

/**
 * A failed job's tags were not held while it was failed (`tag-uses.ts` guards unfinished work
 * only), so a retry checks them as a new job of its kind is checked: an export's filter tags must
 * all exist (a deleted or merged one would drop out of the filter silently) and none be moved by
 * a merge job; a tag merge's target and merged tags must be in no other merge job nor export.
 * The tags are key-share locked first, so that a delete or merge waits and then sees the job
 * queued (session 24: `jobs retry exp_…` rebuilt an export over a tag being merged).
 */
async function refuseChangedTags(em: EntityManager, id: string, job: FailedJobRow): Promise<void> {
  if (job.kind !== 'export' && job.kind !== 'merge-tags') return;
  const tagIds = [...new Set(job.tags)];
  const doing = `retry ${id}`;
  if (job.kind === 'export')
    return requireExportTags(
      em,
      job.workspace_id,
      tagIds,
      doing,
      (gone) =>
        new DomainError(
          'CONFLICT',
          `export ${id} filters on tag ${gone}, deleted or merged into another since it was requested: request a new export`,
        ),
    );
  const known = new Set(await lockTags(em, job.workspace_id, tagIds));
  // A merge with no target, or with none of its merged tags left, has nothing to do: a new merge
  // naming them would be a 404 (the retry used to end failed again, or `done` without an event).
  const [targetId, ...sourceIds] = job.tags;
  if (targetId === undefined || !known.has(targetId))
    throw new DomainError(
      'CONFLICT',
      `tag merge ${id}: its target tag ${targetId ?? ''} is gone, nothing to merge into`,
    );
  if (!sourceIds.some((sourceId) => known.has(sourceId)))
    throw new DomainError('CONFLICT', `tag merge ${id}: every tag it merges is gone, nothing left to merge`);
  await refuseTagsBeingMerged(em, job.workspace_id, tagIds, doing);
  await refuseTagsOfUnfinishedExports(em, job.workspace_id, tagIds, doing);
}
