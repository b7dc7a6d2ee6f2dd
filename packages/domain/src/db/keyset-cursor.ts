import type { z } from 'zod';
import { isStorableJson } from '@tagging/contracts';
import { DomainError } from '../errors.ts';

/**
 * Opaque keyset cursors: the sort key of the last row of a page, base64url-encoded JSON. What
 * comes back is input like any other: its bytes must be UTF-8, its strings text PostgreSQL
 * stores (no NUL: that was a 500 on every list), its numbers 32-bit integers (every key column
 * is `int` or `text`), and it must fit the schema of the list's key; otherwise a 400.
 */
export function encodeCursor(key: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

const numbersFitInt32 = (key: unknown): boolean =>
  !Array.isArray(key) ||
  key.every((item) => typeof item !== 'number' || (Number.isInteger(item) && item >= -(2 ** 31) && item < 2 ** 31));

export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  const invalid = () =>
    new DomainError('VALIDATION_ERROR', 'invalid cursor', [{ path: ['cursor'], message: 'invalid cursor' }]);
  let key: unknown;
  try {
    key = JSON.parse(utf8.decode(Buffer.from(cursor, 'base64url')));
  } catch {
    throw invalid();
  }
  if (!isStorableJson(key) || !numbersFitInt32(key)) throw invalid();
  const parsed = schema.safeParse(key);
  if (!parsed.success) throw invalid();
  return parsed.data;
}
