import { ConnectionException, DeadlockException, DriverException, LockWaitTimeoutException } from '@mikro-orm/core';

/** Socket errors and PostgreSQL's connection and shutdown classes (08xxx but 08P01, 57P0x). */
const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
]);

/**
 * True when PostgreSQL cancelled the statement (57014): it ran past `statement_timeout`
 * (`DATABASE_STATEMENT_TIMEOUT_MS`), or an operator cancelled it.
 */
export function isStatementCancelled(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === '57014';
}

/**
 * True when PostgreSQL aborted the transaction to break a deadlock (40P01) or a lock wait ran
 * out (55P03): what `retryingDeadlocks` retries, thrown only once its attempts are spent. The
 * request did nothing (its transaction rolled back) and may be sent again.
 */
export function isLockConflict(error: unknown): boolean {
  return error instanceof DeadlockException || error instanceof LockWaitTimeoutException;
}

/** True when an error means the database cannot be reached, rather than that a query failed. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof ConnectionException) return true;
  if (!(error instanceof DriverException) && !(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  // 08P01 (protocol violation) is a statement the server refused, not a lost connection.
  if (typeof code === 'string' && (unavailableCodes.has(code) || (code.startsWith('08') && code !== '08P01')))
    return true;
  // pg's own messages for a connection that broke before or while it was used.
  return /Connection terminated|connection (?:is )?closed|is not queryable|timeout exceeded when trying to connect/i.test(
    error.message,
  );
}
