import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { copyIn } from '../src/db/copy-in.ts';
import { inTransaction } from '../src/db/transaction.ts';
import { openTestDatabase, type TestDatabase } from '../testing/test-database.ts';

/**
 * `copyIn` (an export's CSV chunks: binary COPY on PostgreSQL, one INSERT on PGlite), on the test
 * database (embedded PGlite, or PostgreSQL with DATABASE_URL).
 */
let test: TestDatabase;
beforeAll(async () => {
  test = await openTestDatabase(inject('testDatabaseTemplate'));
  await test.db.fork().execute('create table copy_in_probe (n int4 primary key, "the value" text not null)');
});
afterAll(() => test.dispose());

const columns = [
  { name: 'n', type: 'int4' },
  { name: 'the value', type: 'text' },
] as const;

/** Text COPY's text format would have to escape, and what UTF-8 must keep whole. */
const hostile = [
  'a\tb\nc\rd\\e\\N',
  '\\.',
  'say "hi", then\nleave',
  'Zoë 😀 שלום',
  '',
  '\u0001\u001f',
  'x'.repeat(200_000),
];

const probe = async () =>
  test.db
    .fork()
    .execute<{ n: number; value: string }[]>('select n, "the value" as value from copy_in_probe order by n');

describe('copyIn', () => {
  it('adds every value exactly, in the caller transaction', async () => {
    await inTransaction(test.db.fork(), (em) =>
      copyIn(em, { table: 'copy_in_probe', columns, rows: hostile.map((value, n) => [n - 2, value]) }),
    );
    expect(await probe()).toEqual(hostile.map((value, n) => ({ n: n - 2, value })));
  });

  it('adds many rows, sent in several messages, in order', async () => {
    // ~600 KiB of rows of 1-3 byte characters: several of COPY's 128 KiB messages.
    const many = Array.from({ length: 300 }, (_, i) => `${i} ${'é😀a'.repeat(300 + i)}`);
    await inTransaction(test.db.fork(), (em) =>
      copyIn(em, { table: 'copy_in_probe', columns, rows: many.map((value, i) => [10_000 + i, value]) }),
    );
    const rows = (await probe()).filter((row) => row.n >= 10_000);
    expect(rows).toEqual(many.map((value, i) => ({ n: 10_000 + i, value })));
    await test.db.fork().execute('delete from copy_in_probe where n >= 10000');
  });

  it('adds nothing when the transaction rolls back, and fails as the ORM converts failures', async () => {
    const before = await probe();
    const failed = inTransaction(test.db.fork(), async (em) => {
      await copyIn(em, { table: 'copy_in_probe', columns, rows: [[1000, 'kept?']] });
      await copyIn(em, {
        table: 'copy_in_probe',
        columns,
        rows: [
          [1001, 'new'],
          [-2, 'a duplicate key'],
        ],
      });
    });
    await expect(failed).rejects.toMatchObject({ name: 'UniqueConstraintViolationException' });
    expect(await probe()).toEqual(before);
    // The connection is usable again (its COPY ended with the failure).
    await inTransaction(test.db.fork(), (em) =>
      copyIn(em, { table: 'copy_in_probe', columns, rows: [[1002, 'after']] }),
    );
    expect((await probe()).at(-1)).toEqual({ n: 1002, value: 'after' });
  });

  it('needs a transaction', async () => {
    await expect(copyIn(test.db.fork(), { table: 'copy_in_probe', columns, rows: [[5, 'x']] })).rejects.toThrow(
      /needs a transaction/,
    );
  });
});
