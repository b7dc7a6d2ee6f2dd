import { describe, expect, it } from 'vitest';
import { z } from 'zod';
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
});

describe('toIso', () => {
  it('reads Dates and strings alike', () => {
    expect(toIso(new Date('2025-12-15T12:00:00Z'))).toBe('2025-12-15T12:00:00.000Z');
    expect(toIso('2025-12-15 12:00:00+00')).toBe('2025-12-15T12:00:00.000Z');
  });
});
