import { DeadlockException, LockWaitTimeoutException } from '@mikro-orm/core';
import type { EntityManager } from './database.ts';

const maxAttempts = 6;

/**
 * One unit of work in one transaction, retried when PostgreSQL aborts it to break a deadlock
 * (locks are taken in one order everywhere: sessions, then contacts, each by id, then entity tag
 * rows; tags are held `for key share`, which only a tag's delete waits for. Relinks, deletes and
 * upserts crossing each other can still meet in a cycle now and then: this is that residue).
 */
export async function inTransaction<T>(em: EntityManager, work: (em: EntityManager) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await em.transactional(work);
    } catch (error) {
      const retryable = error instanceof DeadlockException || error instanceof LockWaitTimeoutException;
      if (!retryable || attempt >= maxAttempts) throw error;
      // Full jitter, doubling: two transactions that deadlocked once rarely meet again the same way.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** attempt));
    }
  }
}
