import type { Database, EntityManager } from '@tagging/domain';

/** How many backends wait on a lock that backend `pid` holds (PostgreSQL's `pg_blocking_pids`). */
export async function blockedBehind(db: Database, pid: number): Promise<number> {
  const [row] = await db
    .fork()
    .execute<{ blocked: number }[]>(
      'select count(*)::int as blocked from pg_stat_activity where ? = any(pg_blocking_pids(pid))',
      [pid],
    );
  return row?.blocked ?? 0;
}

/**
 * A race made certain: `hold` runs in a transaction that stays open; `racer` starts once it is
 * done, and the transaction commits only after a statement of `racer` waits on a lock it holds
 * (polled for up to 5 s; otherwise it rolls back and this throws). Resolves with what `racer`
 * resolves with, after the commit. PostgreSQL only: PGlite has one connection.
 */
export async function raceWithHeldTransaction<T>(
  db: Database,
  hold: (em: EntityManager) => Promise<unknown>,
  racer: () => Promise<T>,
): Promise<T> {
  let raced: Promise<T> | undefined;
  await db.fork().transactional(async (em) => {
    const [holder] = await em.execute<{ pid: number }[]>('select pg_backend_pid() as pid');
    await hold(em);
    raced = racer();
    for (let i = 0; i < 500; i++) {
      if ((await blockedBehind(db, holder?.pid ?? 0)) > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('the racer never waited on the held transaction');
  });
  return raced as Promise<T>;
}
