import type { Database } from '@tagging/domain';

/** One line per table: its name, row count and an md5 of all its rows in a stable order. */
export type DatabaseFingerprint = Record<string, string>;

/**
 * A fingerprint of every application table (everything in `public` but MikroORM's migration
 * log), in one statement, so that "the database is unchanged by a rejected request" is one
 * comparison. Rows are hashed as their text form, ordered by it, so the order PostgreSQL
 * happens to return them in does not matter.
 */
export async function fingerprintDatabase(db: Database): Promise<DatabaseFingerprint> {
  const em = db.fork();
  const tables = await em.execute<{ name: string }[]>(
    `select table_name as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'mikro_orm%'
      order by table_name`,
  );
  if (tables.length === 0) throw new Error('no tables to fingerprint');
  const rows = await em.execute<{ name: string; rows: string; hash: string }[]>(
    tables
      .map(
        ({ name }) =>
          `select '${name}' as name, count(*)::text as rows,
                  md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as hash
             from "${name}" t`,
      )
      .join(' union all '),
  );
  return Object.fromEntries(rows.map((row) => [row.name, `${row.rows} rows, md5 ${row.hash}`]));
}
