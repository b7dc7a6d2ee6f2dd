import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { inMemory } from '../src/db/database-config.ts';
import { openDatabase, type Database } from '../src/db/database.ts';

export { sequenceAllEvents } from './sequence-all-events.ts';
export { stripStatistics } from './strip-statistics.ts';
export { watchEventLoop } from './event-loop-waits.ts';

/**
 * Test databases, built once per run and cloned per test file, on either backend:
 * - PostgreSQL (`databaseUrl` set): a migrated template database, cloned with
 *   `create database ... template ...` and dropped after the file;
 * - PGlite: a migrated in-memory instance dumped to a file, loaded by each file (PGlite start-up
 *   plus migrations costs seconds; loading a dump a fraction of that).
 */
export type TestDatabaseTemplate =
  { kind: 'postgres'; url: string; templateName: string } | { kind: 'pglite'; dumpFile: string };

const withDatabase = (url: string, name: string) => {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
};

async function adminExecute(url: string, statements: string[]): Promise<void> {
  const admin = await openDatabase({ target: { kind: 'postgres', url, poolSize: 1 } });
  try {
    for (const statement of statements) await admin.fork().execute(statement);
  } finally {
    await admin.close();
  }
}

export async function createTestDatabaseTemplate(options: {
  databaseUrl?: string;
  dumpFile: string;
}): Promise<TestDatabaseTemplate> {
  if (options.databaseUrl) {
    const templateName = `tagging_template_${process.pid}`;
    await adminExecute(options.databaseUrl, [
      `drop database if exists ${templateName} with (force)`,
      `create database ${templateName}`,
    ]);
    const template = await openDatabase({
      target: { kind: 'postgres', url: withDatabase(options.databaseUrl, templateName), poolSize: 1 },
    });
    await template.migrate();
    await template.close();
    return { kind: 'postgres', url: options.databaseUrl, templateName };
  }
  const template = await openDatabase({ target: { kind: 'pglite', dataDir: inMemory } });
  await template.migrate();
  const client = (await template.orm.em.getConnection().getNativeClient()) as {
    dumpDataDir: (compression: 'none') => Promise<Blob>;
  };
  const dump = await client.dumpDataDir('none');
  await writeFile(options.dumpFile, Buffer.from(await dump.arrayBuffer()));
  await template.close();
  return { kind: 'pglite', dumpFile: options.dumpFile };
}

export async function dropTestDatabaseTemplate(template: TestDatabaseTemplate): Promise<void> {
  if (template.kind === 'postgres')
    await adminExecute(template.url, [`drop database if exists ${template.templateName} with (force)`]);
}

export type TestDatabase = {
  db: Database;
  /** The server URL of this database (PostgreSQL only), e.g. for a child process. */
  url?: string;
  dispose: () => Promise<void>;
};

/** A database of its own for one test file, migrated, empty. */
export async function openTestDatabase(template: TestDatabaseTemplate): Promise<TestDatabase> {
  if (template.kind === 'postgres') {
    const name = `tagging_test_${randomBytes(6).toString('hex')}`;
    await adminExecute(template.url, [`create database ${name} template ${template.templateName}`]);
    const url = withDatabase(template.url, name);
    // A statement that runs for a minute is a fault under test (a plan gone quadratic): it fails
    // with its own text instead of the test timing out with no word of where.
    const db = await openDatabase({ target: { kind: 'postgres', url, poolSize: 10, statementTimeoutMs: 60_000 } });
    return {
      db,
      url,
      dispose: async () => {
        await db.close();
        await adminExecute(template.url, [`drop database if exists ${name} with (force)`]);
      },
    };
  }
  const dump = new Blob([await readFile(template.dumpFile)]);
  const db = await openDatabase({ target: { kind: 'pglite', dataDir: inMemory, loadDataDir: dump } });
  return { db, dispose: () => db.close() };
}
