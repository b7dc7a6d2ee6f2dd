import { z } from 'zod';
import { criteriaOfQuery, type TagFilter } from '@tagging/contracts';
import type { EntityManager } from '../db/database.ts';
import { decodeCursor, encodeCursor } from '../db/keyset-cursor.ts';
import { tagFilterSql, type ExclusionWalk, type SqlFragment } from './tag-filter-sql.ts';
import { tagFilterTotalSql } from './tag-filter-total.ts';

const IdCursor = z.tuple([z.string()]);

export type RecordPageInput = TagFilter & { limit: number; cursor?: string | undefined };

/**
 * One keyset page of contacts or sessions in creation order (ids are UUIDv7), filtered by tags
 * and any `extra` conditions on alias `r`, with a `total` that counts every match once.
 */
export async function filteredRecordPage<Row extends { id: string }>(
  em: EntityManager,
  table: 'contact' | 'session',
  workspaceId: number,
  input: RecordPageInput,
  extra: SqlFragment = { where: [], params: [] },
): Promise<{ rows: Row[]; nextCursor: string | null; total: number }> {
  const criteria = criteriaOfQuery(input);
  // A page reads a bounded run of entities; a count tests every one of them (`ExclusionWalk`).
  const matching = (walk: ExclusionWalk): SqlFragment => {
    const filter = tagFilterSql('r', table, workspaceId, criteria, walk);
    return {
      where: ['r.workspace_id = ?', ...filter.where, ...extra.where],
      params: [workspaceId, ...filter.params, ...extra.params],
    };
  };
  const { where, params } = matching('window');
  const after = input.cursor ? decodeCursor(input.cursor, IdCursor)[0] : null;
  const rows = await em.execute<Row[]>(
    `select r.* from ${table} r where ${[...where, ...(after === null ? [] : ['r.id > ?'])].join(' and ')}
     order by r.id limit ?`,
    [...params, ...(after === null ? [] : [after]), input.limit + 1],
  );
  // Other conditions need the entity rows; a filter of tags alone is counted from the tags.
  const whole = extra.where.length === 0 ? undefined : matching('whole');
  const total = whole
    ? { sql: `select count(*)::int as total from ${table} r where ${whole.where.join(' and ')}`, params: whole.params }
    : tagFilterTotalSql(table, workspaceId, criteria);
  const [count] = await em.execute<{ total: number }[]>(total.sql, total.params);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    rows: page,
    nextCursor: rows.length > input.limit && last ? encodeCursor([last.id]) : null,
    total: count?.total ?? 0,
  };
}
