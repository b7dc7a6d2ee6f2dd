import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../src/db/database.ts';
import { openTestDatabase, type TestDatabase } from '../testing/test-database.ts';

/**
 * What every connection to a PostgreSQL server is opened with (`postgresConfig`): JIT compilation
 * off (it cost 150-300 ms of a 15-150 ms filter count; docs/QUERY-PLANS.md). PostgreSQL only:
 * PGlite has no JIT and no connection start-up.
 */
describe.skipIf(inject('testDatabaseTemplate').kind !== 'postgres')('connection settings', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase(inject('testDatabaseTemplate'));
  });
  afterAll(() => test?.dispose());

  it('turn JIT compilation off on every pooled connection', async () => {
    const db = await openDatabase({ target: { kind: 'postgres', url: test.url ?? '', poolSize: 3 } });
    try {
      const settings = await Promise.all(
        [1, 2, 3].map(() =>
          db.fork().transactional(async (em) => {
            await em.execute('select pg_sleep(0.05)');
            return em.execute<{ jit: string }[]>('show jit');
          }),
        ),
      );
      expect(settings.map((rows) => rows[0]?.jit)).toEqual(['off', 'off', 'off']);
    } finally {
      await db.close();
    }
  });
});
