import { DeadlockException, LockWaitTimeoutException } from '@mikro-orm/core';
import type { EntityManager } from './database.ts';

const maxAttempts = 4;

/**
 * One unit of work in one transaction, retried when PostgreSQL aborts it to break a deadlock
 * (locks are taken in one order everywhere: sessions, then contacts, each by id, then tags
 * (`for key share`), then entity tag rows; so this is the rare residue, not the normal path).
 */
export async function inTransaction<T>(em: EntityManager, work: (em: EntityManager) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await em.transactional(work);
    } catch (error) {
      const retryable = error instanceof DeadlockException || error instanceof LockWaitTimeoutException;
      if (!retryable || attempt >= maxAttempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 10));
    }
  }
}
