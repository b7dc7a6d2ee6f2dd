import type { EntityManager } from '../db/database.ts';
import { textArray } from '../db/sql-values.ts';
import { DomainError } from '../errors.ts';

/**
 * Work still running that holds tags by id, so that the tags must stay as they are until it ends:
 * a background tag merge (its target and merged tags) and an export being built (the tags of its
 * filter). Deleting or merging such a tag, or queueing an export over a tag being merged, is a
 * CONFLICT naming the work: otherwise the merge's moved rows change tag without an event, and an
 * export is built with a filter whose tag went or moved halfway (an `excludeTagIds` that leaves
 * nobody out; black-box attacks of session 24). Callers hold the tags' locks, so the check and
 * the work it guards cannot cross.
 */

/** Refuses when an unfinished `merge-tags` job merges any of `tagIds` or merges into one. */
export async function refuseTagsBeingMerged(
  em: EntityManager,
  workspaceId: number,
  tagIds: readonly string[],
  doing: string,
): Promise<void> {
  if (tagIds.length === 0) return;
  const [merging] = await em.execute<{ id: string; tag: string }[]>(
    `select j.id, t.tag from propagation_job j
     cross join lateral unnest(?::text[]) as t(tag)
     where j.workspace_id = ? and j.kind = 'merge-tags' and j.status in ('pending', 'running')
       and (j.tag_id = t.tag or t.tag = any(j.merge_sources))
     limit 1`,
    [textArray(tagIds), workspaceId],
  );
  if (merging)
    throw new DomainError(
      'CONFLICT',
      `tag ${merging.tag} is part of the tag merge job ${merging.id}, still running; ${doing} once the job is done`,
    );
}

/** Refuses when an export still queued or being built filters on any of `tagIds`. */
export async function refuseTagsOfUnfinishedExports(
  em: EntityManager,
  workspaceId: number,
  tagIds: readonly string[],
  doing: string,
): Promise<void> {
  if (tagIds.length === 0) return;
  const [exporting] = await em.execute<{ id: string; tag: string }[]>(
    `select e.id, t.tag from contact_export e
     cross join lateral unnest(?::text[]) as t(tag)
     where e.workspace_id = ? and e.status in ('pending', 'running')
       and (jsonb_exists(e.criteria->'tagIds', t.tag) or jsonb_exists(e.criteria->'excludeTagIds', t.tag))
     limit 1`,
    [textArray(tagIds), workspaceId],
  );
  if (exporting)
    throw new DomainError(
      'CONFLICT',
      `tag ${exporting.tag} is in the filter of export ${exporting.id}, still being built; ${doing} once it is done, or delete the export`,
    );
}
