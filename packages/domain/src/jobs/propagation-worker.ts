import type { Database, EntityManager } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { lockContacts, lockTagIfExists } from '../entity-tags/entity-locks.ts';
import { propagateFromContactBatch, unpropagateBatch } from '../entity-tags/entity-tag-store.ts';
import { contactHasTag } from '../entity-tags/propagation.ts';
import type { RetryPolicy } from './job-retries.ts';
import { backgroundMergeTargetOf, runTagMergeBatch } from './merge-tags-job.ts';
import {
  claimJob,
  countJobSessions,
  recordJobFailure,
  recordJobProgress,
  type ClaimedJob,
} from './propagation-jobs.ts';

const untagBatchFactor = 20;

/**
 * Works one batch of the next job (`claimJob`: fair between workspaces, oldest first within one)
 * in one transaction: the job row (skip locked, so several processes share the queue), then the contact's lock (so the batch and any tag or untag
 * of that contact never interleave), then one set-based statement. A crash loses at most the
 * uncommitted batch; the cursor resumes after the last committed one. Because the claim, the
 * batch and its progress commit together, a batch is counted exactly once even when the
 * connection drops around the commit. A failed batch is recorded with a backoff (see
 * `RetryPolicy`); the error is rethrown for the caller to log. Returns false when idle.
 */
export async function runPropagationBatch(db: Database, batchSize = 5000, policy?: RetryPolicy): Promise<boolean> {
  let claimed: ClaimedJob | undefined;
  try {
    return await inTransaction(db.fork(), async (em) => {
      const job = await claimJob(em);
      if (!job) return false;
      claimed = job;
      if (job.kind === 'merge-tags') return runTagMergeBatch(em, job, batchSize).then(() => true);
      const contactId = job.contact_id ?? '';
      // The lock, then the check in a statement of its own (see contactHasTag). A deleted
      // contact has no row to lock and no tag.
      await lockContacts(em, job.workspace_id, [contactId]);
      const hasTag = await contactHasTag(em, job.workspace_id, contactId, job.tag_id);
      // The request that queued the job counted only up to its synchronous limit: the first batch
      // counts the real size, so that progress never passes its total.
      const total = job.processed_sessions === 0 ? await countJobSessions(em, job) : undefined;
      if (job.kind === 'tag-contact') {
        // The contact's row moved to the target of a background merge: the job goes on for it.
        const tagId = hasTag ? job.tag_id : await followedMerge(em, job, contactId);
        // Untagged (or the contact or the tag deleted) since: nothing left to give. The tag's lock
        // keeps a concurrent delete of the tag from invalidating the rows this batch writes.
        if (tagId === undefined || !(await lockTagIfExists(em, job.workspace_id, tagId)))
          return recordJobProgress(em, job, { cursor: job.cursor, processed: 0, done: true }).then(() => true);
        const batch = await propagateFromContactBatch(em, job.workspace_id, contactId, tagId, job.cursor, batchSize);
        await recordJobProgress(em, job, {
          cursor: batch.lastSessionId ?? job.cursor,
          processed: batch.examined,
          done: batch.examined < batchSize,
          ...(total === undefined ? {} : { total }),
        });
        return true;
      }
      // Tagged again since: the new tagging owns the sessions' rows now.
      if (hasTag) return recordJobProgress(em, job, { cursor: null, processed: 0, done: true }).then(() => true);
      // A delete costs a fraction of an insert per row: bigger batches, about as long.
      const untagBatch = batchSize * untagBatchFactor;
      const { picked, removed } = await unpropagateBatch(em, job.workspace_id, contactId, job.tag_id, untagBatch);
      await recordJobProgress(em, job, {
        cursor: null,
        processed: removed,
        done: picked < untagBatch,
        ...(total === undefined ? {} : { total }),
      });
      return true;
    });
  } catch (error) {
    if (claimed) await recordJobFailure(db.fork(), claimed, error, policy);
    throw error;
  }
}

/**
 * For a tag-contact job whose contact no longer has the job's tag: the target of an unfinished
 * background merge of that tag when the contact has the target now (the merge moved its row),
 * with the job moved to it in this transaction; otherwise undefined (an untag: the job ends).
 */
async function followedMerge(em: EntityManager, job: ClaimedJob, contactId: string): Promise<string | undefined> {
  const target = await backgroundMergeTargetOf(em, job.workspace_id, job.tag_id);
  if (target === undefined || !(await contactHasTag(em, job.workspace_id, contactId, target))) return undefined;
  await em.execute('update propagation_job set tag_id = ?, updated_at = now() where workspace_id = ? and id = ?', [
    target,
    job.workspace_id,
    job.id,
  ]);
  return target;
}
