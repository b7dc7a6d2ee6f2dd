import type { Database } from './database.ts';

/**
 * The tables whose statistics the tag filters' plans depend on (`filters/tag-filter-sql.ts`):
 * their sizes and the spread of their tags.
 */
const plannedTables = ['contact', 'session', 'entity_tag', 'tag'] as const;

/**
 * Analyzes the planned tables whose statistics are missing or stale, when nothing else does:
 * on a PostgreSQL server whose autovacuum is off, and on embedded PGlite (single-user, no
 * autovacuum). Without statistics PostgreSQL costs a never-analyzed table at a few rows, and a
 * tag filter's anti join rescans the excluded tag's rows once per contact: an export of 60,000
 * freshly imported contacts with an excluded tag timed out after 3 attempts (attack finding,
 * session 7; docs/OPERATIONS.md, "Statistics"). A table is stale when it was never analyzed or
 * has grown by more than a fifth since its last analyze (`pg_class.relpages`, set by ANALYZE,
 * against its current size). Returns the tables analyzed (none while autovacuum runs).
 */
export async function refreshTableStatistics(db: Database): Promise<string[]> {
  const em = db.fork();
  const stale = await em.execute<{ relname: string }[]>(
    `select c.relname
     from pg_class c
     where c.relnamespace = current_schema()::regnamespace and c.relkind = 'r' and c.relname in (?)
       and not exists (select 1 from pg_stat_activity where backend_type = 'autovacuum launcher')
       and pg_relation_size(c.oid) / current_setting('block_size')::int >= 8
       and (c.reltuples < 0 or pg_relation_size(c.oid) / current_setting('block_size')::int > c.relpages * 1.2)
     order by c.relname`,
    [plannedTables],
  );
  // One statement per table: names from the fixed list above, never from input.
  for (const { relname } of stale) await em.execute(`analyze ${relname}`);
  return stale.map((row) => row.relname);
}
