import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../testing/test-database.ts';

/**
 * Our patch of @mikro-orm/core 7.2.1 (patches/@mikro-orm__core@7.2.1.patch, see
 * docs/PERFORMANCE.md): forking an EntityManager, which toggles `allowGlobalContext` and back,
 * no longer re-syncs the configuration (a `process.env` write each time); setting any other
 * option still does, and the fork still restores the global-context guard.
 */
let test: TestDatabase;
beforeAll(async () => {
  test = await openTestDatabase(inject('testDatabaseTemplate'));
});
afterAll(() => test.dispose());

it('forks without writing process.env, and restores allowGlobalContext', () => {
  const config = test.db.orm.config;
  const before = config.get('allowGlobalContext');
  const colors = process.env.MIKRO_ORM_COLORS;
  try {
    process.env.MIKRO_ORM_COLORS = 'untouched';
    const em = test.db.fork();
    expect(em).not.toBe(test.db.orm.em);
    expect(process.env.MIKRO_ORM_COLORS).toBe('untouched');
    expect(config.get('allowGlobalContext')).toBe(before);
    // Any other option still syncs what the configuration derives.
    config.set('colors', config.get('colors'));
    expect(process.env.MIKRO_ORM_COLORS).toBe(String(config.get('colors')));
  } finally {
    if (colors === undefined) delete process.env.MIKRO_ORM_COLORS;
    else process.env.MIKRO_ORM_COLORS = colors;
  }
});
