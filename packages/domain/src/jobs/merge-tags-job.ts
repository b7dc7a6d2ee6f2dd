import type { EntityManager } from '../db/database.ts';
import { textArray } from '../db/sql-values.ts';
import { lockContacts, lockSessions, lockTagIfExists, lockTagsForUpdate } from '../entity-tags/entity-locks.ts';
import { moveEntityTagsToTarget, type MergeBatchScope } from '../entity-tags/entity-tag-store.ts';
import { uuidv7 } from '../ids.ts';
import type { QueuedPropagation } from '../plain-result.ts';
import { completeTagMerge } from '../tags/complete-tag-merge.ts';
import { recordJobProgress, type ClaimedJob } from './propagation-jobs.ts';

/*
 * A tag merge above the fan-out limit (issue 14) goes on in the propagation queue, as a
 * `merge-tags` job, the way a contact's tag reaches many sessions: batches of one transaction
 * each, claimed with skip locked, retried and reported like any propagation.
 *
 * Each batch needs no cursor: the rows it moves leave the merged tags, so "the first contacts
 * (by id) that still have a merged tag" are always the ones left. A batch moves the rows of a
 * set of contacts together with every row of their sessions (one statement, under the contacts'
 * locks), so the inheritance rules hold after each batch; once no contact has a merged tag, the
 * remaining rows are sessions' (of sessions whose contact never had one), moved by sets of
 * sessions. The last batch is the synchronous merge's last step (`completeTagMerge`): it moves
 * anything tagged meanwhile, moves the merged tags' own unfinished propagations to the target,
 * deletes the merged tags and records `tag.merged` with the totals of every batch, in one
 * transaction with those tags locked for update.
 */

/** Rows of the merged tags, counted up to `limit + 1` (enough to decide deferral). */
export async function countMergedRowsUpTo(
  em: EntityManager,
  workspaceId: number,
  sourceIds: readonly string[],
  limit: number,
): Promise<number> {
  const [row] = await em.execute<{ count: number }[]>(
    `select count(*)::int as count from (
       select 1 from entity_tag where workspace_id = ? and tag_id = any(?::text[]) limit ?) r`,
    [workspaceId, textArray(sourceIds), limit + 1],
  );
  return row?.count ?? 0;
}

/** Queues the background part of a merge in the transaction that validated it. */
export async function enqueueTagMerge(
  em: EntityManager,
  workspaceId: number,
  targetId: string,
  sourceIds: readonly string[],
  totalRows: number,
): Promise<QueuedPropagation> {
  const id = `job_${uuidv7()}`;
  await em.execute(
    `insert into propagation_job (workspace_id, id, kind, contact_id, tag_id, merge_sources, total_sessions)
     values (?, ?, 'merge-tags', null, ?, ?::text[], ?)`,
    [workspaceId, id, targetId, textArray(sourceIds), totalRows],
  );
  return { jobId: id, status: 'pending', sessions: totalRows };
}

/**
 * The tag that an unfinished background merge moves `tagId` into, if one does. A contact's
 * propagation of a merged tag follows its contact's row there (`runPropagationBatch`): the merge
 * batch that moved the contact's row made the tag "gone" from the contact, and the job took that
 * for an untag and stopped, leaving the sessions it had not reached without the target (black-box
 * attack, session 19).
 */
export async function backgroundMergeTargetOf(
  em: EntityManager,
  workspaceId: number,
  tagId: string,
): Promise<string | undefined> {
  const [row] = await em.execute<{ tag_id: string }[]>(
    `select tag_id from propagation_job
     where workspace_id = ? and kind = 'merge-tags' and status in ('pending', 'running') and ? = any(merge_sources)
     order by created_at limit 1`,
    [workspaceId, tagId],
  );
  return row?.tag_id;
}

/** The first `limit` entities of `entityType` (by id) that still have a row of a merged tag. */
async function nextEntities(
  em: EntityManager,
  workspaceId: number,
  sourceIds: readonly string[],
  entityType: 'contact' | 'session',
  limit: number,
): Promise<string[]> {
  const rows = await em.execute<{ entity_id: string }[]>(
    `select distinct entity_id from entity_tag
     where workspace_id = ? and tag_id = any(?::text[]) and entity_type = ?
     order by entity_id limit ?`,
    [workspaceId, textArray(sourceIds), entityType, limit],
  );
  return rows.map((row) => row.entity_id);
}

/**
 * One batch of a `merge-tags` job, in the caller's transaction (the claim's): at most
 * `batchSize` contacts with their sessions, or `batchSize` sessions, or the final step. A
 * target deleted meanwhile ends the job as failed (nothing to merge into).
 */
export async function runTagMergeBatch(em: EntityManager, job: ClaimedJob, batchSize: number): Promise<void> {
  const workspaceId = job.workspace_id;
  // A merge never moves its target's own rows (see `moveUnfinishedJobsToTag`).
  const sourceIds = (job.merge_sources ?? []).filter((id) => id !== job.tag_id);
  const contactIds = await nextEntities(em, workspaceId, sourceIds, 'contact', batchSize);
  let scope: MergeBatchScope | undefined;
  if (contactIds.length > 0) {
    // The order of entity-locks.ts: contacts (their sessions' rows move under them), then tags.
    // The scope stays every id found: rows of a contact deleted meanwhile must not come back to
    // every batch as "still to move".
    await lockContacts(em, workspaceId, contactIds);
    scope = { jobId: job.id, contactIds };
  } else {
    const sessionIds = await nextEntities(em, workspaceId, sourceIds, 'session', batchSize);
    // Sessions without a contact: their own locks, so that deleting or retagging one waits.
    if (sessionIds.length > 0) {
      await lockSessions(em, workspaceId, sessionIds);
      scope = { jobId: job.id, sessionIds };
    }
  }
  // The final step locks the target with the merged tags, in one pass by id (below): a key-share
  // lock of the target first would invert the order a bulk patch of both takes (session 24).
  const targetExists = scope
    ? await lockTagIfExists(em, workspaceId, job.tag_id)
    : (await lockTagsForUpdate(em, workspaceId, [job.tag_id, ...sourceIds])).includes(job.tag_id);
  if (!targetExists) {
    await em.execute(
      `update propagation_job set status = 'failed', error = ?, updated_at = now() where workspace_id = ? and id = ?`,
      ['the target tag was deleted before the merge finished', workspaceId, job.id],
    );
    return;
  }
  if (scope) {
    const { moved, collapsed } = await moveEntityTagsToTarget(em, workspaceId, job.tag_id, sourceIds, scope);
    await recordJobProgress(em, job, { cursor: null, processed: moved + collapsed, collapsed, done: false });
    return;
  }
  // The final step: the merged tags, locked for update (no tagging with them from now on), lose
  // what was tagged since the last batch, and go.
  // The event lists the merged tags in the caller's order, as the synchronous merge does.
  const locked = new Set(await lockTagsForUpdate(em, workspaceId, sourceIds));
  const existing = sourceIds.filter((id) => locked.has(id));
  // The job row carries what the earlier batches moved: `processed_sessions` counts every row
  // they moved, `merge_collapsed` those of them that collapsed.
  const earlier = { moved: job.processed_sessions - job.merge_collapsed, collapsed: job.merge_collapsed };
  const { moved, collapsed } = await completeTagMerge(em, workspaceId, job.tag_id, existing, earlier);
  await recordJobProgress(em, job, { cursor: null, processed: moved + collapsed, collapsed, done: true });
}
