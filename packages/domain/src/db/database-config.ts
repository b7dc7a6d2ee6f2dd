import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Migrator } from '@mikro-orm/migrations';
import { defineConfig as definePgliteConfig } from '@mikro-orm/pglite';
import { defineConfig as definePostgresConfig } from '@mikro-orm/postgresql';
import type { LoggerNamespace } from '@mikro-orm/core';
import { entities } from '../entities/index.ts';
import { releaseDroppedConnections } from './dropped-connections.ts';

const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

/** Where the data lives: a PostgreSQL server, or PGlite embedded in this process. */
export type DatabaseTarget =
  | {
      kind: 'postgres';
      url: string;
      poolSize?: number;
      /**
       * How long an idle pooled connection stays open, in ms; unset: `pg`'s 10 s. A new connection
       * is a new server process that maps the shared buffers a page fault at a time as it touches
       * them (docs/OPERATIONS.md, "New connections and page faults").
       */
      poolIdleMs?: number;
      /** Longest a statement may run, in ms (PostgreSQL's `statement_timeout`); unset or 0: no limit. */
      statementTimeoutMs?: number;
    }
  | { kind: 'pglite'; dataDir: string; loadDataDir?: Blob };

/** A PGlite that lives only in memory, e.g. for tests. */
export const inMemory = 'memory://';

export type DatabaseOptions = {
  target: DatabaseTarget;
  debug?: LoggerNamespace[];
};

const shared = (options: DatabaseOptions) => ({
  entities,
  extensions: [Migrator],
  migrations: {
    path: migrationsDir,
    pathTs: migrationsDir,
    glob: '!(*.d).{js,ts}',
    emit: 'ts' as const,
    silent: true,
    snapshotName: '.snapshot',
    // The snapshot is written by migration:create only; running migrations must not touch the repo.
    snapshotOnMigrate: false,
  },
  debug: options.debug ?? false,
  // Every request forks its own EntityManager; the global one is never used inside a request.
  allowGlobalContext: false,
});

export function postgresConfig(options: DatabaseOptions & { target: { kind: 'postgres' } }) {
  const { url, poolSize, poolIdleMs, statementTimeoutMs } = options.target;
  return definePostgresConfig({
    ...shared(options),
    clientUrl: url,
    // A missing database is an operator's mistake to report (db/database-readiness.ts), never a
    // reason to create one: only `pnpm cli migrate --create-database` does.
    ensureDatabase: false,
    pool: { max: poolSize ?? 20, ...(poolIdleMs ? { idleTimeoutMillis: poolIdleMs } : {}) },
    driverOptions: {
      // A request waits at most this long for a connection (a saturated pool, an unreachable
      // server), then fails as unavailable (503) rather than hanging.
      connectionTimeoutMillis: 5000,
      // Sent with each connection's start-up: PostgreSQL cancels a statement that runs longer
      // (a filter planned badly over stale statistics ran for minutes after its client had gone).
      ...(statementTimeoutMs ? { statement_timeout: statementTimeoutMs } : {}),
      // No JIT compilation: it starts above a plan cost that a count or an export batch over tens
      // of thousands of contacts passes, and compiling took 150-300 ms of statements that run in
      // 15-150 ms (session 26, docs/QUERY-PLANS.md). PGlite has no JIT.
      options: '-c jit=off',
      onPoolCreated: releaseDroppedConnections,
    },
  });
}

export function pgliteConfig(options: DatabaseOptions & { target: { kind: 'pglite' } }) {
  const { dataDir, loadDataDir } = options.target;
  // PGlite creates only the last segment of its directory.
  if (dataDir !== inMemory) mkdirSync(dataDir, { recursive: true });
  return definePgliteConfig({
    ...shared(options),
    dbName: dataDir,
    ...(loadDataDir ? { driverOptions: () => ({ loadDataDir }) } : {}),
  });
}
