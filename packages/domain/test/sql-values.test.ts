import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { openTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { decodeCursor, encodeCursor } from '../src/db/keyset-cursor.ts';
import { startsWithPattern, toIso } from '../src/db/sql-values.ts';
import { DomainError } from '../src/errors.ts';

describe('startsWithPattern', () => {
  it('escapes the like wildcards and the escape character', () => {
    expect(startsWithPattern('pro_')).toBe('pro!_%');
    expect(startsWithPattern('50%')).toBe('50!%%');
    expect(startsWithPattern('hey!')).toBe('hey!!%');
    expect(startsWithPattern('plain')).toBe('plain%');
  });
});

describe('keyset cursors', () => {
  const Key = z.tuple([z.number(), z.string()]);

  it('round-trip', () => {
    expect(decodeCursor(encodeCursor([3, 'wtag_x']), Key)).toEqual([3, 'wtag_x']);
  });

  it('reject tampering with a validation error', () => {
    expect(() => decodeCursor('garbage', Key)).toThrow(DomainError);
    expect(() => decodeCursor(encodeCursor(['3', 4]), Key)).toThrow(/invalid cursor/);
  });

  it('take every 32-bit integer, the smallest included (session 24), and nothing beyond', () => {
    for (const n of [-(2 ** 31), -(2 ** 31) + 1, 0, 2 ** 31 - 1])
      expect(decodeCursor(encodeCursor([n, 'wtag_x']), Key)).toEqual([n, 'wtag_x']);
    for (const n of [-(2 ** 31) - 1, 2 ** 31, 1.5])
      expect(() => decodeCursor(encodeCursor([n, 'wtag_x']), Key)).toThrow(/invalid cursor/);
  });
});

describe('toIso', () => {
  it('reads Dates and strings alike', () => {
    expect(toIso(new Date('2025-12-15T12:00:00Z'))).toBe('2025-12-15T12:00:00.000Z');
    expect(toIso('2025-12-15 12:00:00+00')).toBe('2025-12-15T12:00:00.000Z');
  });

  /** PostgreSQL's text of an instant in a UTC session, with `micros` microseconds past its millisecond. */
  const pgText = (date: Date, micros: number): string => {
    const fraction = `${String(date.getUTCMilliseconds()).padStart(3, '0')}${String(micros).padStart(3, '0')}`;
    const trimmed = fraction.replace(/0+$/, '');
    return `${date.toISOString().slice(0, 19).replace('T', ' ')}${trimmed ? `.${trimmed}` : ''}+00`;
  };

  it('writes what Date#toISOString writes for PostgreSQL text in UTC, the fraction cut to milliseconds', () => {
    let seed = 20_261_203;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    const earliest = Date.UTC(1000, 0, 1);
    const latest = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
    for (let i = 0; i < 20_000; i++) {
      const instant = new Date(earliest + ((next() * 2 ** 31 + next()) % (latest - earliest)));
      if (i % 4 === 0) instant.setUTCMilliseconds(0);
      const micros = i % 3 === 0 ? 0 : next() % 1000;
      expect(toIso(pgText(instant, micros))).toBe(instant.toISOString());
    }
    expect(toIso('2026-12-03 11:03:11.5+00')).toBe('2026-12-03T11:03:11.500Z');
    expect(toIso('2026-12-03 11:03:11.999999+00')).toBe('2026-12-03T11:03:11.999Z');
  });

  it('reads any other form as a Date, and refuses what is not a timestamp', () => {
    expect(toIso('2026-12-03 12:03:11.5+01')).toBe('2026-12-03T11:03:11.500Z');
    expect(toIso('2026-12-03 06:33:11-04:30')).toBe('2026-12-03T11:03:11.000Z');
    expect(toIso('2026-12-03T11:03:11.556Z')).toBe('2026-12-03T11:03:11.556Z');
    expect(toIso(Date.UTC(2026, 11, 3))).toBe('2026-12-03T00:00:00.000Z');
    expect(() => toIso('infinity')).toThrow(RangeError);
    expect(() => toIso('2026-12-03 11:03:11+00 BC')).toThrow(RangeError);
    expect(() => toIso(null)).toThrow(TypeError);
  });
});

describe('toIso of what the database answers', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase(inject('testDatabaseTemplate'));
  });
  afterAll(() => test?.dispose());

  it('is the instant the database stored, to the millisecond', async () => {
    // Microseconds in every position, whole seconds, years before 1970 and far ahead.
    const rows = await test.db.fork().execute<{ at: unknown; ms: string }[]>(
      `select at, floor(extract(epoch from at) * 1000)::bigint::text as ms
       from (select timestamptz '1001-02-03 04:05:06.789012+00' + n * interval '1 year 37 days 01:02:03.456789' as at
             from generate_series(0, 8000, 7) n
             union all select timestamptz '2026-12-03 11:03:11+00'
             union all select timestamptz '2026-12-03 11:03:11.5+00') t`,
    );
    expect(rows.length).toBeGreaterThan(1000);
    for (const { at, ms } of rows) expect(toIso(at)).toBe(new Date(Number(ms)).toISOString());
  });
});
