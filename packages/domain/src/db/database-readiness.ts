import { openDatabase, type Database } from './database.ts';
import { isDatabaseUnavailable } from './database-errors.ts';

/**
 * What keeps the API from serving on its database, in an operator's words (never the password):
 * - `unreachable`: no PostgreSQL server answers at the URL's host and port;
 * - `authentication`: the server refused the URL's user or password;
 * - `missing-database`: the server has no database of the URL's name (it is never created
 *   silently: `pnpm cli migrate --create-database` creates it);
 * - `pending-migrations`: the database answers but its schema is behind this code.
 */
export type DatabaseProblem = {
  kind: 'unreachable' | 'authentication' | 'missing-database' | 'pending-migrations';
  message: string;
};

/** `host:port` and the database name of a PostgreSQL URL (port 5432 when the URL has none). */
export function describePostgresUrl(url: string): { address: string; database: string } {
  const parsed = new URL(url);
  const host = parsed.hostname || 'localhost';
  return {
    address: `${host}:${parsed.port || '5432'}`,
    database:
      decodeURIComponent(parsed.pathname.replace(/^\//, '')) || decodeURIComponent(parsed.username) || 'postgres',
  };
}

const codeOf = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
};

/** The PostgreSQL error of a failed connection, classified (undefined: not a connection problem). */
function connectionProblem(url: string, error: unknown): DatabaseProblem | undefined {
  const { address, database } = describePostgresUrl(url);
  const code = codeOf(error) ?? codeOf((error as { cause?: unknown } | undefined)?.cause);
  // 3D000 invalid_catalog_name: the server is there, the database is not.
  if (code === '3D000')
    return {
      kind: 'missing-database',
      message: `database "${database}" does not exist on the PostgreSQL server at ${address}: create it with \`./pnpm cli migrate --create-database\` (or createdb), or fix DATABASE_URL`,
    };
  // 28P01 invalid_password, 28000 invalid_authorization_specification.
  if (code === '28P01' || code === '28000')
    return {
      kind: 'authentication',
      message: `the PostgreSQL server at ${address} refused the credentials of DATABASE_URL (${code})`,
    };
  if (isDatabaseUnavailable(error)) {
    const reason = code ?? (error instanceof Error ? error.message : String(error));
    return { kind: 'unreachable', message: `cannot connect to the PostgreSQL server at ${address} (${reason})` };
  }
  return undefined;
}

/**
 * Checks that `db` can be served on: reachable, the database present, no pending migration
 * (`allowPendingMigrations` skips the last check, for the command that applies them). Resolves
 * with the first problem found, or undefined; an unexpected failure of the probe rejects.
 */
export async function findDatabaseProblem(
  db: Database,
  options: { allowPendingMigrations?: boolean } = {},
): Promise<DatabaseProblem | undefined> {
  if (db.target.kind === 'postgres') {
    try {
      await db.fork().execute('select 1');
    } catch (error) {
      const problem = connectionProblem(db.target.url, error);
      if (problem) return problem;
      throw error;
    }
  }
  if (options.allowPendingMigrations) return undefined;
  const pending = await db.pendingMigrations();
  if (pending.length === 0) return undefined;
  return {
    kind: 'pending-migrations',
    message: `the database has ${pending.length} pending migration(s) (${pending.join(', ')}): run \`./pnpm cli migrate\` first`,
  };
}

/**
 * Creates the database a PostgreSQL URL names when the server has none of that name (through
 * the server's `postgres` maintenance database). Resolves true when it created it. Only the
 * explicit `pnpm cli migrate --create-database` calls this: the server never creates a database.
 */
export async function createDatabaseIfMissing(url: string): Promise<boolean> {
  const { database } = describePostgresUrl(url);
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const admin = await openDatabase({ target: { kind: 'postgres', url: maintenance.toString(), poolSize: 1 } });
  try {
    const problem = await findDatabaseProblem(admin, { allowPendingMigrations: true });
    if (problem) throw new Error(problem.message);
    const em = admin.fork();
    const found = await em.execute<{ exists: boolean }[]>(
      'select exists (select 1 from pg_database where datname = ?) as exists',
      [database],
    );
    if (found[0]?.exists) return false;
    // An identifier cannot be a parameter: quote it the way PostgreSQL's quote_ident does.
    await em.execute(`create database "${database.replaceAll('"', '""')}"`);
    return true;
  } finally {
    await admin.close();
  }
}
