import type { TagCriteria } from '@tagging/contracts';

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
 * - exclude: no row of the listed tags (probes of the `(entity, tag)` unique index).
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
    where.push(
      `not exists (select 1 from entity_tag ex
         where ex.workspace_id = ${alias}.workspace_id and ex.entity_type = ? and ex.entity_id = ${alias}.id
           and ex.tag_id in (?))`,
    );
    params.push(entityType, criteria.excludeTagIds);
  }
  return { where, params };
}
