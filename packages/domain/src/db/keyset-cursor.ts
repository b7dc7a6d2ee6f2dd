import type { z } from 'zod';
import { DomainError } from '../errors.ts';

/**
 * Opaque keyset cursors: the sort key of the last row of a page, base64url-encoded JSON. The
 * schema of each list's key checks what comes back, so a tampered cursor is a 400, not a 500.
 */
export function encodeCursor(key: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  try {
    return schema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new DomainError('VALIDATION_ERROR', 'invalid cursor', [{ path: ['cursor'], message: 'invalid cursor' }]);
  }
}
