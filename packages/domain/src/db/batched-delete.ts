import type { Database } from './database.ts';

/**
 * Runs one bounded delete statement again and again until it deletes fewer than `limit` rows;
 * returns how many rows went in all. `sql` must delete at most `limit` rows (its last `?` is
 * the limit, after `params`) and return one row per deleted row. Each statement is its own
 * transaction on a fresh connection, so a large backlog never holds locks or a long
 * transaction, and the clean-up can stop between statements. A picked row that changed meanwhile
 * is skipped by the statement (deleted by `ctid`, its new version is elsewhere), so a pass may
 * stop before the backlog is gone: the next pass goes on.
 */
export async function deleteInBatches(
  db: Database,
  sql: string,
  params: readonly unknown[],
  limit: number,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const rows = await db.fork().execute<unknown[]>(sql, [...params, limit]);
    deleted += rows.length;
    if (rows.length < limit) return deleted;
  }
}
