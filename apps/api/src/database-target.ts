import path from 'node:path';
import type { DatabaseTarget } from '@tagging/domain';
import type { Env } from './env.ts';

/**
 * A server when `DATABASE_URL` is set; otherwise PGlite persisted under `DATA_DIR`. The server's
 * statements are bounded by `DATABASE_STATEMENT_TIMEOUT_MS` for the API (`forServer`), not for
 * the CLI.
 */
export function databaseTarget(env: Env, { forServer = false }: { forServer?: boolean } = {}): DatabaseTarget {
  if (env.DATABASE_URL)
    return {
      kind: 'postgres',
      url: env.DATABASE_URL,
      poolSize: env.DATABASE_POOL_SIZE,
      ...(forServer
        ? { statementTimeoutMs: env.DATABASE_STATEMENT_TIMEOUT_MS, poolIdleMs: env.DATABASE_POOL_IDLE_SECONDS * 1000 }
        : {}),
    };
  return { kind: 'pglite', dataDir: path.resolve(env.DATA_DIR) };
}
