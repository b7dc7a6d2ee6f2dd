import type { MergeTagsInput, MergeTagsResult } from '@tagging/contracts';
import type { EntityManager } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { lockTag } from '../entity-tags/entity-locks.ts';
import { DomainError } from '../errors.ts';
import { getTag } from './tag-service.ts';

/** What moving the rows of merged tags did (see `moveEntityTagsToTarget`). */
export type MovedEntityTags = {
  /** Rows of the merged tags that now carry the target tag (entities that lacked it). */
  moved: number;
  /** Rows of the merged tags dropped because the entity keeps one row of the target instead. */
  collapsed: number;
};

/**
 * Moves every entity tag row of `sourceIds` to `targetId` in one statement: per entity one row
 * of the target is left, `direct` if any of its rows was direct (a direct row wins over an
 * inherited one, DESIGN.md rule 2), otherwise the target's own row, otherwise (a contact's rows
 * from sessions) the one from the session with the smallest id. The
 * inheritance rules hold afterwards because they held before: a session's inherited rows all
 * come from its contact, which gets the target wherever it had a merged tag. Unfinished
 * propagation jobs of a merged tag go on for the target. The caller holds the tags' locks; the
 * merged tags themselves are left for the caller to delete.
 */
export async function moveEntityTagsToTarget(
  em: EntityManager,
  workspaceId: number,
  targetId: string,
  sourceIds: readonly string[],
): Promise<MovedEntityTags> {
  if (sourceIds.length === 0) return { moved: 0, collapsed: 0 };
  // Taken out and put back in one statement (each keeps its id): an update in place would trip
  // the (entity, tag) unique key on the first entity holding two of the tags. `on conflict`
  // absorbs a target row that a concurrent tagging inserted meanwhile.
  const [counts] = await em.execute<{ source_rows: number; moved: number }[]>(
    `with taken as (
       delete from entity_tag where workspace_id = ? and tag_id in (?)
       returning id, entity_type, entity_id, source_type, source_entity_type, source_entity_id, created_at
     ), best as (
       select distinct on (entity_type, entity_id) * from taken
       order by entity_type, entity_id, source_type = 'direct' desc, source_entity_id collate "C", created_at, id
     ), written as (
       insert into entity_tag
         (workspace_id, id, entity_type, entity_id, tag_id, source_type, source_entity_type, source_entity_id, created_at)
       select ?, id, entity_type, entity_id, ?, source_type, source_entity_type, source_entity_id, created_at from best
       on conflict (workspace_id, entity_type, entity_id, tag_id) do update
         set source_type = 'direct', source_entity_type = null, source_entity_id = null
         where excluded.source_type = 'direct' and entity_tag.source_type = 'inherited'
     )
     select (select count(*) from taken)::int as source_rows,
            (select count(*) from best b where not exists (
               select 1 from entity_tag et where et.workspace_id = ? and et.tag_id = ?
                 and et.entity_type = b.entity_type and et.entity_id = b.entity_id))::int as moved`,
    [workspaceId, [...sourceIds], workspaceId, targetId, workspaceId, targetId],
  );
  await em.execute(
    `update propagation_job set tag_id = ?, updated_at = now()
     where workspace_id = ? and tag_id in (?) and status in ('pending', 'running')`,
    [targetId, workspaceId, [...sourceIds]],
  );
  const sourceRows = counts?.source_rows ?? 0;
  const moved = counts?.moved ?? 0;
  return { moved, collapsed: sourceRows - moved };
}

/**
 * Merges `sourceTagIds` into the tag `id` in one transaction: their entity tag rows move to
 * the target (duplicates collapse, see `moveEntityTagsToTarget`) and the merged tags are deleted.
 * Errors: NOT_FOUND for a target or source that is not a tag of the workspace (the issue names
 * each missing source), VALIDATION_ERROR when the target is among the sources.
 */
export function mergeTags(em: EntityManager, workspaceId: number, input: MergeTagsInput): Promise<MergeTagsResult> {
  return inTransaction(em, async (em) => {
    const targetId = input.id;
    const sourceIds = [...new Set(input.sourceTagIds)];
    // The target first: an id that names no tag of the workspace is not found, whatever else.
    await lockTag(em, workspaceId, targetId);
    const selfIndex = input.sourceTagIds.indexOf(targetId);
    if (selfIndex >= 0)
      throw new DomainError('VALIDATION_ERROR', 'a tag cannot be merged into itself', [
        { path: ['sourceTagIds', selfIndex], message: 'is the target tag' },
      ]);
    // `for update` waits for, and then shuts out, every tagging that holds a merged tag's lock.
    const found = await em.execute<{ id: string }[]>(
      'select id from tag where workspace_id = ? and id in (?) order by id for update',
      [workspaceId, sourceIds],
    );
    const known = new Set(found.map((row) => row.id));
    const missing = input.sourceTagIds.flatMap((id, index) => (known.has(id) ? [] : [{ id, index }]));
    if (missing.length > 0)
      throw new DomainError(
        'NOT_FOUND',
        `tag ${missing.map((m) => m.id).join(', ')} not found`,
        missing.map((m) => ({ path: ['sourceTagIds', m.index], message: 'tag not found' })),
      );
    const { moved, collapsed } = await moveEntityTagsToTarget(em, workspaceId, targetId, sourceIds);
    await em.execute('delete from tag where workspace_id = ? and id in (?)', [workspaceId, sourceIds]);
    return {
      success: true as const,
      tag: await getTag(em, workspaceId, targetId),
      mergedTagIds: sourceIds,
      movedEntityTags: moved,
      collapsedEntityTags: collapsed,
    };
  });
}
