import type { EntityManager } from '../db/database.ts';
import { textArray } from '../db/sql-values.ts';
import { moveEntityTagsToTarget, type MovedEntityTags } from '../entity-tags/entity-tag-store.ts';
import { recordEvents } from '../events/event-outbox.ts';
import { moveUnfinishedJobsToTag } from '../jobs/propagation-jobs.ts';

/**
 * The last step of every tag merge, the synchronous one (`mergeTags`) and the last batch of a
 * background `merge-tags` job alike: the rows still on `sourceIds` move to `targetId`, the merged
 * tags' unfinished propagations go on for the target, the merged tags are deleted and the
 * `tag.merged` event is recorded, all in the caller's transaction. The caller holds the target's
 * lock and the merged tags' locks for update (no tagging with them from now on).
 * `earlier`: what the job's earlier batches moved, so that the event reports the whole merge.
 * Returns what this step moved (not the totals); with no source left, nothing (and no event).
 */
export async function completeTagMerge(
  em: EntityManager,
  workspaceId: number,
  targetId: string,
  sourceIds: readonly string[],
  earlier: MovedEntityTags = { moved: 0, collapsed: 0 },
): Promise<MovedEntityTags> {
  // Every source went elsewhere meanwhile (merged into another tag, deleted): nothing merges here.
  if (sourceIds.length === 0) return { moved: 0, collapsed: 0 };
  const step = await moveEntityTagsToTarget(em, workspaceId, targetId, sourceIds);
  await moveUnfinishedJobsToTag(em, workspaceId, sourceIds, targetId);
  await em.execute('delete from tag where workspace_id = ? and id = any(?::text[])', [
    workspaceId,
    textArray(sourceIds),
  ]);
  await recordEvents(em, workspaceId, [
    {
      type: 'tag.merged',
      data: {
        tagId: targetId,
        mergedTagIds: sourceIds,
        movedEntityTags: earlier.moved + step.moved,
        collapsedEntityTags: earlier.collapsed + step.collapsed,
      },
    },
  ]);
  return step;
}
