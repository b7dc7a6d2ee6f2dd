import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { jobStatuses, propagationJobKinds } from '@tagging/contracts';
import { workspaceKey } from './workspace-key.ts';
import { timestamps } from './timestamps.ts';

/**
 * A contact-to-sessions propagation that continues in the background (a contact with more
 * sessions than the synchronous limit). Worked in batches, claimed with skip-locked selects; the
 * cursor makes a restart resume where the last committed batch ended.
 */
export const PropagationJob = defineEntity({
  name: 'PropagationJob',
  tableName: 'propagation_job',
  properties: {
    ...workspaceKey(),
    kind: p.enum([...propagationJobKinds]),
    /** Null for a `merge-tags` job, which goes through every entity of its tags. */
    contactId: p.text().nullable(),
    /** The tag propagated; for `merge-tags` the target. */
    tagId: p.text(),
    /** `merge-tags`: the tags merged into the target. */
    mergeSources: p.array().columnType('text[]').nullable(),
    /**
     * `merge-tags`: of `processedSessions` (rows moved by its batches), those that collapsed onto
     * a row the target already had; the final `tag.merged` event reports both totals.
     */
    mergeCollapsed: p.integer().default(0),
    status: p.enum([...jobStatuses]).default('pending'),
    /** The last session id handled; batches go on after it. */
    cursor: p.text().nullable(),
    processedSessions: p.integer().default(0),
    totalSessions: p.integer().default(0),
    /** Consecutive failed batches since the job last made progress. */
    attempts: p.integer().default(0),
    /** Of those, the ones that were not transient: the job fails for good when they reach the limit. */
    hardFailures: p.integer().default(0),
    /** The last failure's message, until a batch makes progress again. */
    error: p.text().nullable(),
    /** Not claimed before this time: a failed batch's backoff. */
    runAfter: p.datetime().columnType('timestamptz').defaultRaw('now()'),
    ...timestamps(),
  },
  indexes: [
    // The claim walks the unfinished jobs in `run_after` order, and finds when each workspace was
    // last served (`served_idx`); retention walks the finished ones by age.
    { name: 'propagation_job_claim_idx', properties: ['runAfter'], where: `status in ('pending', 'running')` },
    { name: 'propagation_job_served_idx', properties: ['workspace', 'updatedAt'], where: `status <> 'pending'` },
    {
      name: 'propagation_job_finished_idx',
      properties: ['updatedAt'],
      where: `status not in ('pending', 'running')`,
    },
  ],
});
export type PropagationJob = InferEntity<typeof PropagationJob>;
