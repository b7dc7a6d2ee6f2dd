import type { Database } from '@tagging/domain';

export type PoolUsage = { total: number; idle: number; waiting: number; max: number };

/** What `pg.Pool` exposes of itself (the driver's own type is not a dependency of this package). */
type PgPool = { totalCount: number; idleCount: number; waitingCount: number; options: { max?: number } };

const isPgPool = (value: unknown): value is PgPool =>
  typeof value === 'object' &&
  value !== null &&
  'totalCount' in value &&
  'idleCount' in value &&
  'waitingCount' in value;

/**
 * The connection pool of a PostgreSQL server target, from the `pg.Pool` MikroORM opens. PGlite runs
 * in the process with a single connection and has no pool: undefined.
 */
export async function readPoolUsage(db: Database): Promise<PoolUsage | undefined> {
  if (db.target.kind !== 'postgres') return undefined;
  const pool: unknown = await db.orm.em.getConnection().getNativeClient();
  if (!isPgPool(pool)) return undefined;
  return {
    total: pool.totalCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
    max: pool.options.max ?? 0,
  };
}
