import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { refreshTableStatistics } from '../src/db/table-statistics.ts';
import { openTestDatabase, type TestDatabase } from '../testing/test-database.ts';

/**
 * Planner statistics when no autovacuum keeps them (embedded PGlite; this machine's PostgreSQL
 * runs with autovacuum off): a bulk of freshly written contacts and entity tags gets analyzed,
 * and a table that has not grown is left alone. Where an autovacuum launcher runs, nothing is
 * analyzed (that branch is skipped here when the server has one).
 */
let test: TestDatabase;
beforeAll(async () => {
  test = await openTestDatabase(inject('testDatabaseTemplate'));
});
afterAll(() => test.dispose());

const reltuples = async (table: string) =>
  (
    await test.db
      .fork()
      .execute<{ n: number }[]>(`select reltuples::float8 as n from pg_class where relname = ?`, [table])
  )[0]?.n ?? -1;

describe('refreshTableStatistics', () => {
  it('analyzes the tables that were never analyzed or have grown, and only those', async () => {
    const em = test.db.fork();
    const [launcher] = await em.execute<{ running: boolean }[]>(
      `select exists (select 1 from pg_stat_activity where backend_type = 'autovacuum launcher') as running`,
    );
    await em.execute(`insert into workspace (id, name) values (9101, 'statistics')`);
    await em.execute(
      `insert into tag (workspace_id, id, name, "order", name_key) values (9101, 'wtag_s1', 'S1', 1, 's1')`,
    );
    await em.execute(
      `insert into contact (workspace_id, id, name) select 9101, 'con_s' || lpad(g::text, 6, '0'), 'n' || g from generate_series(1, 3000) g`,
    );
    await em.execute(
      `insert into entity_tag (workspace_id, id, entity_type, entity_id, tag_id, source_type)
       select 9101, 'et_s' || g, 'contact', 'con_s' || lpad(g::text, 6, '0'), 'wtag_s1', 'direct' from generate_series(1, 3000) g`,
    );
    const analyzed = await refreshTableStatistics(test.db);
    if (launcher?.running) {
      expect(analyzed).toEqual([]);
      return;
    }
    expect(analyzed).toEqual(expect.arrayContaining(['contact', 'entity_tag']));
    expect(await reltuples('contact')).toBeGreaterThanOrEqual(3000);
    expect(await reltuples('entity_tag')).toBeGreaterThanOrEqual(3000);
    // Nothing grew since: nothing to do.
    expect(await refreshTableStatistics(test.db)).toEqual([]);
    // A table that grew by more than a fifth is analyzed again.
    await em.execute(
      `insert into contact (workspace_id, id, name) select 9101, 'con_t' || lpad(g::text, 6, '0'), 'n' || g from generate_series(1, 3000) g`,
    );
    expect(await refreshTableStatistics(test.db)).toEqual(['contact']);
    expect(await reltuples('contact')).toBeGreaterThanOrEqual(6000);
  });
});
