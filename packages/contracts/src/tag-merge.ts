import { z } from 'zod';
import { TagId } from './ids.ts';
import { DeferredPropagation } from './entity-tags.ts';
import { Tag } from './tags.ts';

/** At most this many tags merge into one per request. */
export const maxMergedTags = 100;

/** Merge `sourceTagIds` into the tag `id` (the target, which stays). */
export const MergeTagsInput = z.strictObject({
  id: TagId,
  sourceTagIds: z.array(TagId).min(1).max(maxMergedTags),
});
export type MergeTagsInput = z.infer<typeof MergeTagsInput>;

export const MergeTagsResult = z.object({
  success: z.literal(true),
  /** The target tag after the merge, with its usage counts. */
  tag: Tag,
  /** The merged tags, now deleted. */
  mergedTagIds: z.array(z.string()),
  /** Entity tag rows that moved to the target (contacts and sessions that lacked it). */
  movedEntityTags: z.number().int(),
  /** Entity tag rows dropped because their entity already had the target (or another merged tag). */
  collapsedEntityTags: z.number().int(),
  /**
   * Present when the merged tags had more entity tags than the synchronous fan-out limit: the
   * move continues in this background job (its `sessions` are the entity tags to move), the
   * counts above are then 0 and the merged tags are deleted when the job is done.
   */
  deferred: DeferredPropagation.optional(),
});
export type MergeTagsResult = z.infer<typeof MergeTagsResult>;
