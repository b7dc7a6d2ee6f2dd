import type { EntityManager } from '../db/database.ts';
import { isDatabaseUnavailable, isLockConflict } from '../db/database-errors.ts';
import { withJobFinishedEvent } from '../events/event-outbox.ts';
import { DomainError } from '../errors.ts';

/**
 * How a background job's failed batches are retried. Every failed batch waits before the job is
 * claimed again: a random time between 0 and `min(maxDelayMs, baseDelayMs × 2^(attempts − 1))`
 * ("full jitter", so that the workers an outage failed together do not come back together).
 * A transient failure (see `isTransientJobError`) retries for ever; the job fails for good when
 * `maxAttempts` of its consecutive failed batches (since it last made progress) were not transient.
 */
export type RetryPolicy = { baseDelayMs: number; maxDelayMs: number; maxAttempts: number };

/** Propagations: a connection's worth of outage should not wait long once the database is back. */
export const propagationRetryPolicy: RetryPolicy = { baseDelayMs: 100, maxDelayMs: 10_000, maxAttempts: 5 };
export const exportRetryPolicy: RetryPolicy = { baseDelayMs: 100, maxDelayMs: 10_000, maxAttempts: 3 };

/** SQLSTATEs of a statement PostgreSQL aborted for others' sake, not for its own fault. */
const transientCodes = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
  '53300', // too_many_connections
  '57P01', // admin_shutdown (pg_terminate_backend)
]);

/**
 * True when a batch failed for a reason that says nothing about the job: the connection was lost
 * or refused, the database is shutting down or starting, the pool timed out acquiring a
 * connection, or PostgreSQL aborted the transaction to break a deadlock or a serialization
 * conflict. Such a failure never fails the job. Follows `cause` chains (the ORM wraps).
 */
export function isTransientJobError(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    if (isDatabaseUnavailable(current)) return true;
    if (isLockConflict(current)) return true;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && transientCodes.has(code)) return true;
    if (
      current instanceof Error &&
      /Connection terminated|terminating connection|pool .*(?:timeout|ended)/i.test(current.message)
    )
      return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** The wait before the next claim after the `attempts`-th consecutive failure (1-based), in ms. */
export function backoffDelayMs(attempts: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, Math.min(attempts - 1, 30)));
  return Math.floor(random() * ceiling);
}

/** What to record for a failed batch: the message, the backoff, and whether the job fails for good. */
export function failureOutcome(
  error: unknown,
  before: { attempts: number; hardFailures: number },
  policy: RetryPolicy,
): { message: string; delayMs: number; transient: boolean; failsJob: boolean } {
  const transient = isTransientJobError(error);
  const attempts = before.attempts + 1;
  const code = errorCode(error);
  const message = transient
    ? `a transient database error${code ? ` (${code})` : ''}; retrying`
    : error instanceof DomainError
      ? error.message
      : `an internal error${code ? ` (${code})` : ''}; the service log has the details`;
  return {
    message,
    delayMs: backoffDelayMs(attempts, policy),
    transient,
    failsJob: !transient && before.hardFailures + 1 >= policy.maxAttempts,
  };
}

/**
 * The SQLSTATE or system error code (`ENOSPC`) of an error or of one it wraps, if any. A failed
 * job shows its client this code and no message but our own (`DomainError`): a driver's message
 * carries the statement's SQL, table and constraint names and row values, a file system's the
 * server's paths (session 25). The worker logs the whole error.
 */
function errorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z0-9_]{2,32}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The queues whose failed batches `recordFailedAttempt` records, by their finished event's kind. */
const queueTables = { propagation: 'propagation_job', export: 'contact_export' } as const;

/**
 * A batch that threw, recorded on the job's row (a propagation or an export): one more
 * consecutive failure, the message (after `messagePrefix`), and a backoff before the job is
 * claimed again; the job fails when `failureOutcome` says so, and then its finished event is
 * written by the same statement. If it cannot be written (the database is still away), it is
 * tried again after `recordRetryDelaysMs` (~7 s in all): an export stays leased until its
 * failure is recorded, so a record lost in a burst of dropped connections held the export for
 * its whole lease (60 s) instead of the backoff (attack finding, session 8). If it still cannot
 * be written, the job stays as it was and is claimed again when its lease runs out: nothing is
 * lost.
 */
export async function recordFailedAttempt(
  em: EntityManager,
  queue: keyof typeof queueTables,
  job: { workspace_id: number; id: string; attempts: number; hard_failures: number },
  error: unknown,
  policy: RetryPolicy,
  messagePrefix = '',
): Promise<void> {
  const outcome = failureOutcome(error, { attempts: job.attempts, hardFailures: job.hard_failures }, policy);
  const record = () =>
    em.execute(
      withJobFinishedEvent(
        `update ${queueTables[queue]} set attempts = attempts + 1, hard_failures = hard_failures + ?, error = ?,
           updated_at = now(),
           run_after = now() + ? * interval '1 millisecond',
           status = case when ? then 'failed' else status end
         where workspace_id = ? and id = ? and status in ('pending', 'running')`,
        queue,
      ),
      [
        outcome.transient ? 0 : 1,
        `${messagePrefix}${outcome.message}`,
        outcome.delayMs,
        outcome.failsJob,
        job.workspace_id,
        job.id,
      ],
    );
  for (const delayMs of recordRetryDelaysMs) {
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    try {
      await record();
      return;
    } catch {
      // The database is still away: try again after the next delay.
    }
  }
}

/** Waits (ms) before each try of recording a failed batch (`recordFailedAttempt`). */
const recordRetryDelaysMs = [0, 250, 500, 1000, 2000, 3000];
