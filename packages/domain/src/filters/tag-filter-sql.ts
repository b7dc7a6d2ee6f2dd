import type { TagCriteria } from '@tagging/contracts';
import { textArray } from '../db/sql-values.ts';

const distinct = (ids: string[]): string[] => (Array.isArray(ids) ? [...new Set(ids)] : ids);

/**
 * The criteria with each tag id once: stored exports may predate the contracts' dedupe (and a
 * stored value that is not a list is left for the statement to refuse, as before).
 */
export const distinctCriteria = (criteria: TagCriteria): TagCriteria => ({
  ...criteria,
  tagIds: distinct(criteria.tagIds),
  excludeTagIds: distinct(criteria.excludeTagIds),
});

export type SqlFragment = { where: string[]; params: unknown[] };

/**
 * The tag filter of a contact or session list as `where` conditions on `alias`, each one
 * semi- or anti-join that the `entity_tag` indexes answer:
 * - any: the entities among the rows of the listed tags (`entity_tag_tag_idx` range per tag);
 * - all: the same rows grouped by entity, kept when every listed tag is there — one statement
 *   whatever the number of tags, not one join per tag;
 * - exclude: no row of the listed tags, one probe of the `(entity, tag)` unique index per entity
 *   (`excludedTagsProbe`).
 * Tag ids compare exactly (no lowercasing), so the indexes apply. A repeated id counts once
 * (`all` compares the number of distinct matches with the number of distinct ids).
 */
export function tagFilterSql(
  alias: string,
  entityType: 'contact' | 'session',
  workspaceId: number,
  given: TagCriteria,
): SqlFragment {
  const criteria = distinctCriteria(given);
  const where: string[] = [];
  const params: unknown[] = [];
  if (criteria.tagIds.length > 0) {
    const all = criteria.match === 'all' && criteria.tagIds.length > 1;
    // Not correlated with the outer row (the workspace is a parameter, not `alias.workspace_id`):
    // a correlated subquery is re-run per outer row; this one is computed once and hashed.
    where.push(
      `${alias}.id in (select et.entity_id from entity_tag et
         where et.workspace_id = ? and et.tag_id in (?) and et.entity_type = ?
         ${all ? 'group by et.entity_id having count(*) = ?' : ''})`,
    );
    params.push(workspaceId, criteria.tagIds, entityType, ...(all ? [criteria.tagIds.length] : []));
  }
  if (criteria.excludeTagIds.length > 0) {
    where.push(excludedTagsProbe(`${alias}.workspace_id`, `${alias}.id`));
    params.push(entityType, textArray(criteria.excludeTagIds));
  }
  return { where, params };
}

/**
 * "The entity `entityIdSql` has no row of these tags" (parameters: the entity type, the tag ids as
 * `text[]`), as one probe of the `(workspace, entity type, entity, tag)` unique key per entity,
 * whatever the statistics say. Left to the planner, the anti join was planned from the tags'
 * estimated rows: a tag applied to 40,000 contacts since the last ANALYZE (or any tag outside the
 * column's most common values, estimated at the average) counted as one row, so the join
 * materialised the tag's rows and scanned all of them for every entity, 50,000 x 40,000, past the
 * statement timeout (exports, lists, totals; session 24). `offset 0` keeps the probe a subplan
 * run per entity instead of a join, and the tag test as an array overlap keeps it off the
 * `(workspace, tag, …)` index, where `entity_id` is not a prefix and each probe would read every
 * row of the tag: 2-3 µs an entity, ~4x a hash anti join's best case, never quadratic
 * (docs/QUERY-PLANS.md).
 */
export const excludedTagsProbe = (workspaceIdSql: string, entityIdSql: string): string =>
  `not exists (select 1 from entity_tag ex
     where ex.workspace_id = ${workspaceIdSql} and ex.entity_type = ? and ex.entity_id = ${entityIdSql}
       and array[ex.tag_id] && ?::text[] offset 0)`;
