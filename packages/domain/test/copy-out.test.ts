import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { copyOut } from '../src/db/copy-out.ts';
import { neutralizeFormula, neutralizedSql } from '../src/exports/export-rows.ts';
import { openTestDatabase, type TestDatabase } from '../testing/test-database.ts';

/**
 * `copyOut` (exports' reads: PostgreSQL writes the file) and the formula rule in SQL, on the test
 * database (embedded PGlite, or PostgreSQL with DATABASE_URL).
 */
let test: TestDatabase;
beforeAll(async () => {
  test = await openTestDatabase(inject('testDatabaseTemplate'));
});
afterAll(() => test.dispose());

/** Values that stress quoting, cutting and escaping: multi-byte, quotes, line ends, backslashes. */
const hostile = [
  '=1+2',
  '+x',
  '-3',
  '@SUM(1+1)',
  '\tTab',
  '\rCR',
  '＝full width',
  '＋',
  '－',
  '＠',
  'a\r\nb',
  'say "hi", then\nleave',
  'back\\slash \\. \\N',
  '\\.',
  'Zoë 😀 שלום',
  ' lead and trail ',
  '',
  "'=already",
  '\u0001\u001f',
];

const valuesSql = (values: readonly string[]) =>
  `select * from (values ${values.map((_, i) => `(${i}, ?::text)`).join(', ')}) v(n, value)`;

describe('neutralizedSql', () => {
  it('neutralizes exactly what neutralizeFormula does, null staying null', async () => {
    const rows = await test.db
      .fork()
      .execute<{ value: string; neutralized: string | null }[]>(
        `select value, ${neutralizedSql('value')} as neutralized from (${valuesSql(hostile)}) v order by n`,
        hostile,
      );
    expect(rows.map((row) => row.neutralized)).toEqual(hostile.map(neutralizeFormula));
    expect(rows.filter((row) => row.neutralized !== row.value)).toHaveLength(10);
    const [empty] = await test.db
      .fork()
      .execute<{ neutralized: string | null }[]>(`select ${neutralizedSql('null::text')} as neutralized`);
    expect(empty?.neutralized).toBeNull();
  });
});

describe('copyOut', () => {
  const copyAll = (pieceBytes: number, options: string, column: string) =>
    copyOut(test.db.fork(), {
      query: `select ${column} from (${valuesSql(hostile)}) v order by n`,
      params: hostile,
      options,
      settings: ['set local jit = off'],
      pieceBytes,
    });

  it('cuts CSV into whole-text pieces after line feeds, even inside quoted fields, and counts rows', async () => {
    const whole = await copyAll(1 << 20, 'format csv, header true', 'n, value');
    expect(whole.rows).toBe(hostile.length);
    expect(whole.pieces).toHaveLength(1);
    const records = parse(whole.pieces[0] ?? '', { relax_column_count: false }) as string[][];
    expect(records).toEqual([['n', 'value'], ...hostile.map((value, n) => [String(n), value])]);

    const cut = await copyAll(8, 'format csv, header true', 'n, value');
    expect(cut.rows).toBe(hostile.length);
    expect(cut.pieces.length).toBeGreaterThan(hostile.length / 2);
    for (const piece of cut.pieces) expect(piece.endsWith('\n')).toBe(true);
    // Some cut falls inside a quoted field (a value with a line feed): the pieces are still whole
    // UTF-8 text and put back together they are the file.
    expect(cut.pieces.some((piece) => (piece.match(/"/g) ?? []).length % 2 === 1)).toBe(true);
    expect(cut.pieces.join('')).toBe(whole.pieces[0]);
  });

  it('writes JSON text exactly, one per line, with the quote and delimiter JSON never holds raw', async () => {
    const lines = await copyAll(
      16,
      `format csv, quote e'\\x01', delimiter e'\\x02'`,
      `json_build_object('n', n, 'value', value)::text`,
    );
    expect(lines.rows).toBe(hostile.length);
    const parsed = lines.pieces
      .join('')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { n: number; value: string });
    expect(parsed.map((row) => row.value)).toEqual(hostile);
  });

  it('fails with the query, leaving the connection usable', async () => {
    await expect(
      copyOut(test.db.fork(), {
        query: 'select 1 / (n - n) from (values (1)) v(n)',
        params: [],
        options: 'format csv',
        settings: [],
        pieceBytes: 1024,
      }),
    ).rejects.toThrow(/division by zero/);
    const again = await copyAll(1 << 20, 'format csv', 'n');
    expect(again.rows).toBe(hostile.length);
  });
});
