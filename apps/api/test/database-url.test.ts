import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '@tagging/domain';
import type {} from '../testing/global-setup.ts';
import { startApiProcess } from '../testing/api-process.ts';

/**
 * A wrong DATABASE_URL is said in words (issue 19, "Operators"): the server and the CLI name the
 * problem (cannot connect, no such database, migrations pending) and exit 1; neither ever creates
 * a database, except `pnpm cli migrate --create-database`. The server cases need a PostgreSQL
 * server, so they run when the suite runs on one (DATABASE_URL set); the unreachable one always.
 */
const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const template = inject('testDatabaseTemplate');
const serverUrl = template.kind === 'postgres' ? template.url : undefined;

type CliResult = { code: number; stdout: string; stderr: string };
const runCli = (databaseUrl: string, ...args: string[]) =>
  new Promise<CliResult>((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { env: { ...process.env, DATABASE_URL: databaseUrl } },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });

/** The server's start-up failure: startApiProcess rejects with everything the process printed. */
const startFailure = async (databaseUrl: string): Promise<string> => {
  const started = startApiProcess({ DATABASE_URL: databaseUrl }, { listenTimeoutMs: 30_000 });
  const error = await started.then(
    async (api) => {
      await api.kill();
      throw new Error('the API started on a DATABASE_URL it cannot use');
    },
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(Error);
  return (error as Error).message;
};

const unusedPort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

const withDatabase = (url: string, name: string) => {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
};

const created: string[] = [];
async function onServer<T>(
  work: (execute: (sql: string, params?: unknown[]) => Promise<unknown[]>) => Promise<T>,
): Promise<T> {
  if (!serverUrl) throw new Error('needs a PostgreSQL server');
  const admin = await openDatabase({ target: { kind: 'postgres', url: serverUrl, poolSize: 1 } });
  try {
    return await work((sql, params) => admin.fork().execute(sql, params));
  } finally {
    await admin.close();
  }
}
const databaseExists = (name: string) =>
  onServer(async (execute) => (await execute('select 1 from pg_database where datname = ?', [name])).length > 0);

afterAll(async () => {
  if (serverUrl && created.length > 0)
    await onServer(async (execute) => {
      for (const name of created) await execute(`drop database if exists ${name} with (force)`);
    });
});

describe('a wrong DATABASE_URL', { timeout: 90_000 }, () => {
  it('an unreachable server: "cannot connect to <host:port>", not pending migrations', async () => {
    const port = await unusedPort();
    const url = `postgres://postgres@127.0.0.1:${port}/tagging`;
    const output = await startFailure(url);
    expect(output).toContain(`cannot connect to the PostgreSQL server at 127.0.0.1:${port}`);
    expect(output).not.toContain('pending migration');
    expect(output).toContain('exited (1)');
    const result = await runCli(url, 'migrate');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot connect to the PostgreSQL server at 127.0.0.1:${port}`);
  });

  it.runIf(serverUrl)(
    'a database that does not exist: said so, and never created by the server or a plain migrate',
    async () => {
      const name = `tagging_missing_${randomBytes(6).toString('hex')}`;
      created.push(name);
      const url = withDatabase(serverUrl ?? '', name);
      const address = `${new URL(url).hostname}:${new URL(url).port || '5432'}`;
      const output = await startFailure(url);
      expect(output).toContain(`database "${name}" does not exist on the PostgreSQL server at ${address}`);
      expect(output).toContain('./pnpm cli migrate --create-database');
      expect(await databaseExists(name)).toBe(false);

      const plain = await runCli(url, 'migrate');
      expect(plain.code).toBe(1);
      expect(plain.stderr).toContain(`database "${name}" does not exist`);
      expect(await databaseExists(name)).toBe(false);

      // Only when asked: created, then migrated, and the server starts on it.
      const asked = await runCli(url, 'migrate', '--create-database', '--json');
      expect(asked.code, asked.stderr).toBe(0);
      expect(JSON.parse(asked.stdout)).toMatchObject({
        createdDatabase: name,
        applied: expect.arrayContaining([expect.any(String)]) as unknown,
      });
      expect(await databaseExists(name)).toBe(true);
      const again = await runCli(url, 'migrate', '--create-database', '--json');
      expect(JSON.parse(again.stdout)).toEqual({ applied: [] });
      const api = await startApiProcess({ DATABASE_URL: url });
      expect((await fetch(`${api.baseUrl}/healthz`)).status).toBe(200);
      expect(await api.stop()).toBe(0);
    },
  );

  it.runIf(serverUrl)('an empty database: migrations pending, named', async () => {
    const name = `tagging_empty_${randomBytes(6).toString('hex')}`;
    created.push(name);
    await onServer((execute) => execute(`create database ${name}`));
    const url = withDatabase(serverUrl ?? '', name);
    const output = await startFailure(url);
    expect(output).toMatch(
      /the database has \d+ pending migration\(s\) \(Migration\d{14}_init, .*run `\.\/pnpm cli migrate` first/,
    );
    expect(output).not.toContain('cannot connect');
    const other = await runCli(url, 'workspace', 'create', '--name', 'x');
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('pending migration(s)');
  });
});
