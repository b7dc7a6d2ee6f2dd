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
 * How a statement tests "no row of the excluded tags" per entity (`excludedTagsSql`): `window`
 * for one that reads a bounded run of entities (a page, an export batch), `whole` for one that
 * tests every entity of the workspace (a total, a count).
 */
export type ExclusionWalk = 'window' | 'whole';

/**
 * The tag filter of a contact or session list as `where` conditions on `alias`, each one
 * semi- or anti-join that the `entity_tag` indexes answer:
 * - any: the entities among the rows of the listed tags (`entity_tag_tag_idx` range per tag);
 * - all: the same rows grouped by entity, kept when every listed tag is there — one statement
 *   whatever the number of tags, not one join per tag;
 * - exclude: no row of the listed tags (`excludedTagsSql`, by `walk`).
 * Tag ids compare exactly (no lowercasing), so the indexes apply. A repeated id counts once
 * (`all` compares the number of distinct matches with the number of distinct ids).
 */
export function tagFilterSql(
  alias: string,
  entityType: 'contact' | 'session',
  workspaceId: number,
  given: TagCriteria,
  walk: ExclusionWalk = 'window',
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
    const excluded = excludedTagsSql(walk, workspaceId, `${alias}.id`, entityType, criteria.excludeTagIds);
    where.push(excluded.sql);
    params.push(...excluded.params);
  }
  return { where, params };
}

/**
 * Above this many rows of the excluded tags, a `whole` walk probes per entity rather than hold
 * them all in a hashed set (about 100 bytes a row, outside `work_mem`'s accounting).
 */
export const hashedExclusionLimit = 50_000;

/**
 * "The entity `entityIdSql` has no row of these tags", in a form whose cost does not depend on
 * the planner's statistics. Left to the planner, the anti join was planned from the tags'
 * estimated rows: a tag applied to 40,000 contacts since the last ANALYZE (or any tag outside the
 * column's most common values, estimated at the average) counted as one row, so the join
 * materialised the tag's rows and scanned all of them for every entity, 50,000 x 40,000, past the
 * statement timeout (exports, lists, totals; session 24). Two forms (docs/QUERY-PLANS.md):
 * - `window`: one probe of the `(workspace, entity type, entity, tag)` unique key per entity
 *   (`offset 0` keeps it a subplan run per entity instead of a join; the tag test as an array
 *   overlap keeps it off the `(workspace, tag, …)` index, where `entity_id` is not a prefix):
 *   ~3 µs an entity, whatever the excluded tags hold, so a page costs what it reads;
 * - `whole`: the excluded tags' entities read once into a hashed set (`not in` over `unnest` of
 *   a computed array, which the planner always estimates at a few rows, so the subplan is
 *   hashed whatever the tags' statistics): ~0.3 µs an entity plus ~1 µs an excluded row, 3-10x
 *   faster than probing every entity of a workspace (session 25 left a total 8x slower than the
 *   old anti join). Above `hashedLimit` (`hashedExclusionLimit`) excluded rows, counted first
 *   (at most that many read), it probes as `window` does.
 */
export function excludedTagsSql(
  walk: ExclusionWalk,
  workspaceId: number,
  entityIdSql: string,
  entityType: 'contact' | 'session',
  tagIds: string[],
  hashedLimit = hashedExclusionLimit,
): { sql: string; params: unknown[] } {
  const tags = textArray(tagIds);
  const probe = `not exists (select 1 from entity_tag ex
     where ex.workspace_id = ? and ex.entity_type = ? and ex.entity_id = ${entityIdSql}
       and array[ex.tag_id] && ?::text[] offset 0)`;
  const probeParams = [workspaceId, entityType, tags];
  if (walk === 'window') return { sql: probe, params: probeParams };
  const rows = `select ex.entity_id from entity_tag ex
     where ex.workspace_id = ? and ex.entity_type = ? and ex.tag_id = any(?::text[])`;
  return {
    sql: `(case when (select count(*) from (${rows} limit ?) bounded) <= ?
             then ${entityIdSql} not in (select unnest(array(${rows})))
             else ${probe} end)`,
    params: [
      ...[workspaceId, entityType, tags, hashedLimit + 1, hashedLimit],
      ...[workspaceId, entityType, tags],
      ...probeParams,
    ],
  };
}
