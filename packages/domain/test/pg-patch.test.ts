import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { executePrepared } from '../src/db/prepared-statements.ts';
import { openTestDatabase, type TestDatabase } from '../testing/test-database.ts';

/**
 * Our patch of `pg` 8.23 (patches/pg@8.23.0.patch, docs/PERFORMANCE.md): a result's empty row is
 * built on a plain object, not a null-prototype one (whose spread cost 5-6 µs a query), and a
 * column named `__proto__` is still an own property of every row, never the row's prototype
 * (what `pg` 8.21 fixed with the null-prototype object).
 */
type Field = { name: string; dataTypeID: number; format: string };
type PgResult = {
  addFields(fields: Field[]): void;
  parseRow(values: (string | null)[]): Record<string, unknown>;
  _prebuiltEmptyResultObject: object;
};
const requireFromDriver = createRequire(createRequire(import.meta.url).resolve('@mikro-orm/postgresql'));
const Result = requireFromDriver('pg/lib/result.js') as new () => PgResult;

const text = (name: string): Field => ({ name, dataTypeID: 25, format: 'text' });

it('is the patched result', () => {
  expect(Result.prototype.addFields.toString()).toContain('Patched (tagging service, issue 20)');
});

it('builds rows with every column as an own property, in order, on a plain prototype', () => {
  const result = new Result();
  result.addFields([text('b'), text('a'), text('constructor')]);
  const row = result.parseRow(['2', null, 'c']);
  expect(Object.keys(row)).toEqual(['b', 'a', 'constructor']);
  expect(row).toEqual({ b: '2', a: null, constructor: 'c' });
  expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
  expect(Object.getPrototypeOf(result._prebuiltEmptyResultObject)).toBe(Object.prototype);
});

it('keeps a __proto__ column an own value, never the prototype, and pollutes nothing', () => {
  const result = new Result();
  result.addFields([text('__proto__'), text('x')]);
  const polluted = result.parseRow(['{"polluted":true}', '1']);
  expect(Object.keys(polluted)).toEqual(['__proto__', 'x']);
  expect(Object.getOwnPropertyDescriptor(polluted, '__proto__')?.value).toBe('{"polluted":true}');
  expect(Object.getPrototypeOf(polluted)).toBe(Object.prototype);
  expect(Object.getOwnPropertyDescriptor(result.parseRow([null, '2']), '__proto__')?.value).toBeNull();
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

describe.skipIf(inject('testDatabaseTemplate').kind !== 'postgres')('on a PostgreSQL server', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase(inject('testDatabaseTemplate'));
  });
  afterAll(() => test?.dispose());

  it('answers a __proto__ column as an own value, prepared and not', async () => {
    const sql = `select 'p' as "__proto__", 1 as a`;
    const [prepared] = await executePrepared<Record<string, unknown>>(test.db.fork(), 'test_proto_column', sql, []);
    const [plain] = await test.db.fork().execute<Record<string, unknown>[]>(sql);
    for (const row of [prepared, plain]) {
      expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toBe('p');
      expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
      expect(row?.a).toBe(1);
    }
  });
});
