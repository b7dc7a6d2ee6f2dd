import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { maintainTables } from '../src/db/table-maintenance.ts';
import { openTestDatabase, type TestDatabase } from '../testing/test-database.ts';

/**
 * Autovacuum's work when none runs (embedded PGlite; this machine's PostgreSQL runs with
 * autovacuum off): a bulk of freshly written contacts and entity tags gets analyzed, a table that
 * has not grown is left alone, and a queue table with many dead rows is vacuumed. Where an
 * autovacuum launcher runs, nothing is done (that branch is taken here when the server has one).
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

describe('maintainTables', () => {
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
    const { analyzed } = await maintainTables(test.db);
    if (launcher?.running) {
      expect(analyzed).toEqual([]);
      return;
    }
    expect(analyzed).toEqual(expect.arrayContaining(['contact', 'entity_tag']));
    expect(await reltuples('contact')).toBeGreaterThanOrEqual(3000);
    expect(await reltuples('entity_tag')).toBeGreaterThanOrEqual(3000);
    // Nothing grew since: nothing to do.
    expect((await maintainTables(test.db)).analyzed).toEqual([]);
    // A table that grew by more than a fifth is analyzed again.
    await em.execute(
      `insert into contact (workspace_id, id, name) select 9101, 'con_t' || lpad(g::text, 6, '0'), 'n' || g from generate_series(1, 3000) g`,
    );
    expect((await maintainTables(test.db)).analyzed).toEqual(['contact']);
    expect(await reltuples('contact')).toBeGreaterThanOrEqual(6000);
  });

  it('vacuums a queue table once its dead rows pass the threshold, and not before', async () => {
    const em = test.db.fork();
    const [launcher] = await em.execute<{ running: boolean }[]>(
      `select exists (select 1 from pg_stat_activity where backend_type = 'autovacuum launcher') as running`,
    );
    await em.execute(`insert into workspace (id, name) values (9102, 'vacuum')`);
    const deadEvents = async (count: number) => {
      await em.execute(
        `insert into event (workspace_id, id, type, payload) select 9102, 'evt_v' || g, 'tag.created', '{}' from generate_series(1, ?) g`,
        [count],
      );
      await em.execute(`delete from event where workspace_id = 9102`);
    };
    const deadTuples = async () =>
      (
        await test.db
          .fork()
          .execute<{ n: number }[]>(`select n_dead_tup::int as n from pg_stat_user_tables where relname = 'event'`)
      )[0]?.n ?? 0;
    // Below the threshold (1,000 dead rows plus a tenth of the live ones): left alone.
    await deadEvents(200);
    expect((await maintainTables(test.db)).vacuumed).not.toContain('event');
    await deadEvents(3000);
    // A server's statistics reach other connections within a second or so (pgstat's flush).
    let vacuumed: string[] = [];
    for (let tries = 0; tries < 40 && !vacuumed.includes('event'); tries++) {
      vacuumed = (await maintainTables(test.db)).vacuumed;
      if (launcher?.running || vacuumed.includes('event')) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    if (launcher?.running) {
      expect(vacuumed).toEqual([]);
      return;
    }
    expect(vacuumed).toContain('event');
    expect(await deadTuples()).toBeLessThan(1000);
  });

  it('knows whether an autovacuum launcher runs from the settings, as pg_stat_activity shows it', async () => {
    // maintainTables reads `autovacuum` and `track_counts` instead of the backends' list.
    const [row] = await test.db.fork().execute<{ launcher: boolean; settings: boolean }[]>(
      `select exists (select 1 from pg_stat_activity where backend_type = 'autovacuum launcher') as launcher,
              current_setting('autovacuum')::boolean and current_setting('track_counts')::boolean as settings`,
    );
    expect(row?.launcher).toBe(test.db.target.kind === 'postgres' ? row?.settings : false);
  });
});
