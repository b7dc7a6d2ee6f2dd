import { PostgreSqlConnection } from '@mikro-orm/postgresql';
import { ClientTransaction, inClientTransaction } from './client-transaction.ts';
import type { EntityManager } from './database.ts';
import { isLockConflict } from './database-errors.ts';

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
      if (!isLockConflict(error) || attempt >= maxAttempts) throw error;
      // Full jitter, doubling: two transactions that deadlocked once rarely meet again the same way.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** attempt));
    }
  }
}

/**
 * One unit of work in one transaction, retried on deadlock. On PostgreSQL the transaction is a
 * pooled client's of its own (`inClientTransaction`); on PGlite, and inside a transaction MikroORM
 * began, MikroORM's. Inside a transaction already, the work is nested under a savepoint.
 */
export function inTransaction<T>(em: EntityManager, work: (em: EntityManager) => Promise<T>): Promise<T> {
  const outer = em.getTransactionContext();
  if (outer instanceof ClientTransaction) return retryingDeadlocks(() => outer.nested(em, work));
  const onClient = !outer && em.getConnection() instanceof PostgreSqlConnection;
  return retryingDeadlocks(() => (onClient ? inClientTransaction(em, work) : em.transactional(work)));
}
