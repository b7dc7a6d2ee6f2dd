import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { executePrepared, numberedPlaceholders } from '../src/db/prepared-statements.ts';
import { textArray } from '../src/db/sql-values.ts';
import { openTestDatabase, type TestDatabase, type TestDatabaseTemplate } from '../testing/test-database.ts';

declare module 'vitest' {
  // The run's template database, provided by apps/api/testing/global-setup.ts (module
  // augmentation merges only with an interface).
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  export interface ProvidedContext {
    testDatabaseTemplate: TestDatabaseTemplate;
  }
}

/**
 * The named prepared statements of the hot routes, on the database this run uses (PGlite, or
 * PostgreSQL with DATABASE_URL): they are really prepared on the connection, run inside the
 * caller's transaction, answer the same rows as `em.execute` and fail with MikroORM's exceptions.
 */
let test: TestDatabase;
beforeAll(async () => {
  test = await openTestDatabase(inject('testDatabaseTemplate'));
});
afterAll(() => test.dispose());

const prepared = (name: string) => `select count(*)::int as count from pg_prepared_statements where name = '${name}'`;

describe('numberedPlaceholders', () => {
  it('numbers the ? placeholders and leaves quoted ones alone', () => {
    expect(numberedPlaceholders(`select ?::int, '?' as "a?b", ? from t where x = ?`)).toBe(
      `select $1::int, '?' as "a?b", $2 from t where x = $3`,
    );
  });
});

describe('executePrepared', () => {
  it('prepares the statement once on the connection and runs it inside the caller transaction', async () => {
    await test.db.fork().transactional(async (em) => {
      await executePrepared(em, 'test_insert_workspace', 'insert into workspace (id, name) values (?, ?)', [
        901,
        'Prepared',
      ]);
      // The same connection: the statement is there by its name, and the row is visible.
      const [found] = await em.execute<{ count: number }[]>(prepared('test_insert_workspace'));
      expect(found?.count).toBe(1);
      const [seen] = await em.execute<{ name: string }[]>('select name from workspace where id = 901');
      expect(seen?.name).toBe('Prepared');
      const [again] = await executePrepared<{ name: string }>(
        em,
        'test_read_workspace',
        'select name from workspace where id = ?',
        [901],
      );
      expect(again?.name).toBe('Prepared');
      await em.execute('select 1 from workspace where id = 901 for update');
    });
    // Outside a transaction too (autocommit).
    const [row] = await executePrepared<{ name: string }>(
      test.db.fork(),
      'test_read_workspace',
      'select name from workspace where id = ?',
      [901],
    );
    expect(row?.name).toBe('Prepared');
  });

  it('is rolled back with the caller transaction', async () => {
    await expect(
      test.db.fork().transactional(async (em) => {
        await executePrepared(em, 'test_insert_workspace', 'insert into workspace (id, name) values (?, ?)', [
          902,
          'Gone',
        ]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await test.db.fork().execute('select 1 from workspace where id = 902')).toEqual([]);
  });

  it('answers the same values as em.execute (numbers, text, text[] literals, timestamps, null)', async () => {
    const em = test.db.fork();
    const sql = `select ?::int as n, ?::text as t, array_length(?::text[], 1) as len, (?::text[])[2] as second,
      '2026-01-01T00:00:00Z'::timestamptz as ts, ?::text is null as missing, null::text as nothing`;
    const params = [7, "it's", textArray(['a', 'b "quoted", \\ too']), textArray(['x', 'y']), null];
    const [ours] = await executePrepared(em, 'test_values', sql, params);
    const [theirs] = await em.execute<Record<string, unknown>[]>(sql, params);
    expect(ours).toEqual(theirs);
    expect(ours).toMatchObject({ n: 7, t: "it's", len: 2, second: 'y', missing: true, nothing: null });
  });

  it('fails with MikroORM’s exceptions, and the statement still runs afterwards', async () => {
    const em = test.db.fork();
    const insert = 'insert into workspace (id, name) values (?, ?)';
    await executePrepared(em, 'test_insert_workspace', insert, [903, 'Once']);
    await expect(executePrepared(em, 'test_insert_workspace', insert, [903, 'Twice'])).rejects.toBeInstanceOf(
      UniqueConstraintViolationException,
    );
    await executePrepared(em, 'test_insert_workspace', insert, [904, 'After']);
    expect(await em.execute('select id from workspace where id in (903, 904) order by id')).toEqual([
      { id: 903 },
      { id: 904 },
    ]);
  });

  it('refuses a name reused for another text', async () => {
    await expect(executePrepared(test.db.fork(), 'test_read_workspace', 'select 2', [])).rejects.toThrow(
      /already defined/,
    );
  });
});
