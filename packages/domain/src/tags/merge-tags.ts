import type { MergeTagsInput, MergeTagsResult } from '@tagging/contracts';
import type { EntityManager } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { lockTagsForUpdate } from '../entity-tags/entity-locks.ts';
import { countMergedRowsUpTo, enqueueTagMerge } from '../jobs/merge-tags-job.ts';
import { defaultPropagationSettings, type PropagationSettings } from '../entity-tags/propagation-settings.ts';
import { DomainError, notFound } from '../errors.ts';
import { completeTagMerge } from './complete-tag-merge.ts';
import { getTag } from './tag-service.ts';
import { refuseTagsBeingMerged, refuseTagsOfUnfinishedExports } from './tag-uses.ts';
import type { PlainResult } from '../plain-result.ts';

/**
 * Merges `sourceTagIds` into the tag `id` in one transaction (`completeTagMerge`): their entity
 * tag rows move to the target (duplicates collapse, see `moveEntityTagsToTarget` in the entity-tag
 * store); unfinished propagation jobs of a merged tag go on for the target, the merged tags are
 * deleted and `tag.merged` is recorded.
 * When the merged tags have more entity tag rows than `settings.syncFanOutLimit`, the move goes
 * on in a background `merge-tags` job instead (`deferred` in the result; counts 0).
 * Errors: NOT_FOUND for a target or source that is not a tag of the workspace (the issue names
 * each missing source), VALIDATION_ERROR when the target is among the sources, CONFLICT when a
 * background merge still moves one of them or an export being built filters on one (`tag-uses.ts`).
 */
export function mergeTags(
  em: EntityManager,
  workspaceId: number,
  input: MergeTagsInput,
  settings: PropagationSettings = defaultPropagationSettings,
): Promise<PlainResult<MergeTagsResult>> {
  return inTransaction(em, async (em) => {
    const targetId = input.id;
    const sourceIds = [...new Set(input.sourceTagIds)];
    // The target and the merged tags in one pass by id, the order a bulk patch takes them in
    // (the target first, then the rest, deadlocked with a patch of both: session 24). `for
    // update` waits for, and then shuts out, every tagging that holds a merged tag's lock; the
    // target's is held for this transaction only.
    const known = new Set(await lockTagsForUpdate(em, workspaceId, [targetId, ...sourceIds]));
    // The target first: an id that names no tag of the workspace is not found, whatever else.
    if (!known.has(targetId)) throw notFound('tag', targetId);
    const selfIndex = input.sourceTagIds.indexOf(targetId);
    if (selfIndex >= 0)
      throw new DomainError('VALIDATION_ERROR', 'a tag cannot be merged into itself', [
        { path: ['sourceTagIds', selfIndex], message: 'is the target tag' },
      ]);
    const missing = input.sourceTagIds.flatMap((id, index) => (known.has(id) ? [] : [{ id, index }]));
    if (missing.length > 0)
      throw new DomainError(
        'NOT_FOUND',
        `tag ${missing.map((m) => m.id).join(', ')} not found`,
        missing.map((m) => ({ path: ['sourceTagIds', m.index], message: 'tag not found' })),
      );
    // A background merge still moving any of them would cross this one (rows moved back and
    // forth, or a merge of a tag whose rows another job takes: third attack of session 24), and
    // an export being built over any of them would see its filter's rows move halfway.
    await refuseTagsBeingMerged(em, workspaceId, [targetId, ...sourceIds], 'merge them');
    await refuseTagsOfUnfinishedExports(em, workspaceId, [targetId, ...sourceIds], 'merge them');
    // Above the fan-out limit the rows move in a background job, as a propagation's do
    // (jobs/merge-tags-job.ts); the merged tags stay until its last batch deletes them.
    const rows = await countMergedRowsUpTo(em, workspaceId, sourceIds, settings.syncFanOutLimit);
    if (rows > settings.syncFanOutLimit) {
      const deferred = await enqueueTagMerge(em, workspaceId, targetId, sourceIds, rows);
      return {
        tag: await getTag(em, workspaceId, targetId),
        mergedTagIds: sourceIds,
        movedEntityTags: 0,
        collapsedEntityTags: 0,
        deferred,
      };
    }
    const { moved, collapsed } = await completeTagMerge(em, workspaceId, targetId, sourceIds);
    return {
      tag: await getTag(em, workspaceId, targetId),
      mergedTagIds: sourceIds,
      movedEntityTags: moved,
      collapsedEntityTags: collapsed,
    };
  });
}
