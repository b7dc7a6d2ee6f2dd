import { MikroORM as PgliteORM } from '@mikro-orm/pglite';
import { MikroORM as PostgresORM } from '@mikro-orm/postgresql';
import type { EntityManager, MikroORM } from '@mikro-orm/sql';
import type { PGlite } from '@electric-sql/pglite';
import { pgliteConfig, postgresConfig, type DatabaseOptions, type DatabaseTarget } from './database-config.ts';
import { giveTurnsBetweenStatements } from './pglite-turns.ts';

export type { EntityManager };

/** An open database: the ORM (for forking per request) and what it runs on. */
export type Database = {
  orm: MikroORM;
  target: DatabaseTarget;
  /** A fresh EntityManager for one unit of work (one request, one job step). */
  fork: () => EntityManager;
  migrate: () => Promise<string[]>;
  pendingMigrations: () => Promise<string[]>;
  /** True when the database answers a trivial query. */
  ping: () => Promise<boolean>;
  close: () => Promise<void>;
};

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const orm: MikroORM =
    options.target.kind === 'postgres'
      ? await PostgresORM.init(postgresConfig({ ...options, target: options.target }))
      : await PgliteORM.init(pgliteConfig({ ...options, target: options.target }));
  if (options.target.kind === 'pglite')
    giveTurnsBetweenStatements((await orm.em.getConnection().getNativeClient()) as PGlite);
  return {
    orm,
    target: options.target,
    fork: () => orm.em.fork(),
    migrate: async () => (await orm.migrator.up()).map((migration) => migration.name),
    pendingMigrations: async () => (await orm.migrator.getPending()).map((migration) => migration.name),
    ping: async () => {
      try {
        await orm.em.fork().execute('select 1');
        return true;
      } catch {
        return false;
      }
    },
    close: () => orm.close(),
  };
}

/** The embedded database is migrated on open; a server is migrated by an explicit command. */
export async function openAndMigrateIfEmbedded(options: DatabaseOptions): Promise<Database> {
  const database = await openDatabase(options);
  if (database.target.kind === 'pglite') await database.migrate();
  return database;
}
