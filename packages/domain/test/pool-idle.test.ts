import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../src/db/database.ts';
import { openTestDatabase, type TestDatabase } from '../testing/test-database.ts';

/**
 * `poolIdleMs`: how long an idle pooled connection to a PostgreSQL server stays open (the API
 * sets it from DATABASE_POOL_IDLE_SECONDS). PostgreSQL only: PGlite has no pool.
 */
describe.skipIf(inject('testDatabaseTemplate').kind !== 'postgres')('pool idle timeout', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase(inject('testDatabaseTemplate'));
  });
  afterAll(() => test?.dispose());

  /** Whether the connection that answered `select pg_backend_pid()` is open `afterMs` after it went idle. */
  async function stillOpen(poolIdleMs: number, afterMs: number): Promise<boolean> {
    const db = await openDatabase({ target: { kind: 'postgres', url: test.url ?? '', poolSize: 2, poolIdleMs } });
    try {
      const [row] = await db.fork().execute<{ pid: number }[]>('select pg_backend_pid() as pid');
      await new Promise((resolve) => setTimeout(resolve, afterMs));
      const open = await test.db
        .fork()
        .execute<{ pid: number }[]>('select pid from pg_stat_activity where pid = ?', [row?.pid]);
      return open.length === 1;
    } finally {
      await db.close();
    }
  }

  it('closes an idle connection after poolIdleMs, and keeps it open until then', async () => {
    const [short, long] = await Promise.all([stillOpen(300, 1500), stillOpen(60_000, 1500)]);
    expect(short).toBe(false);
    expect(long).toBe(true);
  });
});
