import path from 'node:path';
import type { DatabaseTarget } from '@tagging/domain';
import type { Env } from './env.ts';

/** A server when `DATABASE_URL` is set; otherwise PGlite persisted under `DATA_DIR`. */
export function databaseTarget(env: Env): DatabaseTarget {
  if (env.DATABASE_URL) return { kind: 'postgres', url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE };
  return { kind: 'pglite', dataDir: path.resolve(env.DATA_DIR) };
}
