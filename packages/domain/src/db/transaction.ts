import { DeadlockException, LockWaitTimeoutException } from '@mikro-orm/core';
import type { EntityManager } from './database.ts';

const maxAttempts = 6;

/**
 * Runs `work` again when PostgreSQL aborts it to break a deadlock (locks are taken in one order
 * everywhere, stated in `entity-tags/entity-locks.ts`; relinks, deletes and upserts crossing
 * each other can still meet in a cycle now and then: this is that residue). `work` must be a
 * whole unit: a transaction, or one statement that is atomic on its own.
 */
export async function retryingDeadlocks<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const retryable = error instanceof DeadlockException || error instanceof LockWaitTimeoutException;
      if (!retryable || attempt >= maxAttempts) throw error;
      // Full jitter, doubling: two transactions that deadlocked once rarely meet again the same way.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** attempt));
    }
  }
}

/** One unit of work in one transaction, retried on deadlock. */
export function inTransaction<T>(em: EntityManager, work: (em: EntityManager) => Promise<T>): Promise<T> {
  return retryingDeadlocks(() => em.transactional(work));
}
