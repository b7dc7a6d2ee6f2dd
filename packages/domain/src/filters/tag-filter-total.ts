import type { TagCriteria } from '@tagging/contracts';
import { distinctCriteria, excludedTagsSql } from './tag-filter-sql.ts';

export type SqlStatement = { sql: string; params: unknown[] };

/**
 * How many contacts or sessions a tag-only filter matches, counted in `entity_tag` alone: its
 * indexes answer without reading a row of the (much wider) entity table, which a count through
 * the list's own `where` would scan. Exact because an entity tag never outlives its entity
 * (`check-invariants` asserts it). With no tag to include, it is the entity count minus those
 * carrying an excluded tag.
 */
export function tagFilterTotalSql(table: 'contact' | 'session', workspaceId: number, given: TagCriteria): SqlStatement {
  const criteria = distinctCriteria(given);
  const { tagIds, excludeTagIds } = criteria;
  const tagged = (ids: string[], all: boolean): SqlStatement => ({
    sql: `select et.entity_id from entity_tag et
          where et.workspace_id = ? and et.entity_type = ? and et.tag_id in (?)
          group by et.entity_id ${all ? 'having count(*) = ?' : ''}`,
    params: [workspaceId, table, ids, ...(all ? [ids.length] : [])],
  });
  if (tagIds.length === 0) {
    const everyone = { sql: `select count(*) from ${table} where workspace_id = ?`, params: [workspaceId] };
    if (excludeTagIds.length === 0) return { sql: `select (${everyone.sql})::int as total`, params: everyone.params };
    const excluded = tagged(excludeTagIds, false);
    return {
      sql: `select ((${everyone.sql}) - (select count(*) from (${excluded.sql}) x))::int as total`,
      params: [...everyone.params, ...excluded.params],
    };
  }
  const matched = tagged(tagIds, criteria.match === 'all' && tagIds.length > 1);
  if (excludeTagIds.length === 0)
    return { sql: `select count(*)::int as total from (${matched.sql}) m`, params: matched.params };
  const excluded = excludedTagsSql('whole', workspaceId, 'm.entity_id', table, excludeTagIds);
  return {
    sql: `select count(*)::int as total from (${matched.sql}) m where ${excluded.sql}`,
    params: [...matched.params, ...excluded.params],
  };
}
