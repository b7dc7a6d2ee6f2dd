import type { Database } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { lockContacts, lockTagIfExists } from '../entity-tags/entity-locks.ts';
import { propagateFromContactBatch, unpropagateBatch } from '../entity-tags/entity-tag-store.ts';
import { contactHasTag } from '../entity-tags/propagation.ts';
import { claimJob, recordJobFailure, recordJobProgress } from './propagation-jobs.ts';

const untagBatchFactor = 20;

/**
 * Works one batch of the oldest unfinished job in one transaction: the job row (skip locked, so
 * several processes share the queue), then the contact's lock (so the batch and any tag or untag
 * of that contact never interleave), then one set-based statement. A crash loses at most the
 * uncommitted batch; the cursor resumes after the last committed one. Returns false when idle.
 */
export async function runPropagationBatch(db: Database, batchSize = 5000): Promise<boolean> {
  let claimedId: string | undefined;
  try {
    return await inTransaction(db.fork(), async (em) => {
      const job = await claimJob(em);
      if (!job) return false;
      claimedId = job.id;
      // The lock, then the check in a statement of its own (see contactHasTag). A deleted
      // contact has no row to lock and no tag.
      await lockContacts(em, job.workspace_id, [job.contact_id]);
      const hasTag = await contactHasTag(em, job.workspace_id, job.contact_id, job.tag_id);
      if (job.kind === 'tag-contact') {
        // Untagged (or the contact or the tag deleted) since: nothing left to give. The tag's lock
        // keeps a concurrent delete of the tag from invalidating the rows this batch writes.
        if (!hasTag || !(await lockTagIfExists(em, job.workspace_id, job.tag_id)))
          return recordJobProgress(em, job, { cursor: job.cursor, processed: 0, done: true }).then(() => true);
        const batch = await propagateFromContactBatch(
          em,
          job.workspace_id,
          job.contact_id,
          job.tag_id,
          job.cursor,
          batchSize,
        );
        await recordJobProgress(em, job, {
          cursor: batch.lastSessionId ?? job.cursor,
          processed: batch.examined,
          done: batch.examined < batchSize,
        });
        return true;
      }
      // Tagged again since: the new tagging owns the sessions' rows now.
      if (hasTag) return recordJobProgress(em, job, { cursor: null, processed: 0, done: true }).then(() => true);
      // A delete costs a fraction of an insert per row: bigger batches, about as long.
      const untagBatch = batchSize * untagBatchFactor;
      const removed = await unpropagateBatch(em, job.workspace_id, job.contact_id, job.tag_id, untagBatch);
      await recordJobProgress(em, job, { cursor: null, processed: removed, done: removed < untagBatch });
      return true;
    });
  } catch (error) {
    if (claimedId) await recordJobFailure(db.fork(), claimedId, error instanceof Error ? error.message : String(error));
    throw error;
  }
}
