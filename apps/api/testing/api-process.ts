import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, inject } from 'vitest';
import { openTestDatabase, type TestDatabase } from '@tagging/domain/testing';
import type {} from './global-setup.ts';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

export type ApiProcess = {
  pid: number | undefined;
  /** `http://127.0.0.1:<port>`, read from the process's own "listening" log line. */
  baseUrl: string;
  /** Log lines of level error or worse (pino's JSON `level` ≥ 50), e.g. a failed background batch, and stderr. */
  errorLogs: string[];
  /** Everything the process has written to stdout and stderr so far. */
  output: () => string;
  /** Resolves with the exit code (null when a signal ended the process). */
  exited: Promise<number | null>;
  /** SIGTERM (the graceful shutdown path); resolves with the exit code once the process is gone. */
  stop: () => Promise<number | null>;
  /** SIGKILL (a crash, kill -9); resolves once the process is gone. */
  kill: () => Promise<void>;
};

/**
 * The API as production runs it: `node src/main.ts` in a process of its own, listening on a free
 * port and logging at `info`. `env` adds to (or overrides) this process's variables: give it
 * `DATABASE_URL` (a PostgreSQL database) or `DATA_DIR` (the embedded one), and any setting of
 * `env.ts`. Rejects when the process exits, or does not listen within `listenTimeoutMs`
 * (default 60 s: the embedded database starts slowly on a busy machine); the process is killed
 * when the test runner exits.
 */
export async function startApiProcess(
  env: Record<string, string>,
  options: { listenTimeoutMs?: number } = {},
): Promise<ApiProcess> {
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const errorLogs: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // A test runner that ends (or times out) must not leave the API running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));
  let output = '';
  let pending = '';
  const baseUrl = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (data: Buffer) => {
      output += data.toString();
      pending += data.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const level = /"level":(\d+)/.exec(line)?.[1];
        if (level !== undefined && Number(level) >= 50) errorLogs.push(line);
      }
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.stderr.on('data', (data: Buffer) => {
      output += data.toString();
      // Node's own warnings (deprecations) are not failures of the service.
      const text = data
        .toString()
        .replace(/^\(node:\d+\) .*(?:Warning|Deprecation).*\n?|^\(Use `node --trace.*\n?/gm, '');
      if (text.trim()) errorLogs.push(text);
    });
    void exited.then((code) => reject(new Error(`the API exited (${String(code)}) before listening: ${output}`)));
    const timeoutMs = options.listenTimeoutMs ?? 60_000;
    setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the API did not listen within ${timeoutMs} ms: ${output}`));
    }, timeoutMs).unref();
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    pid: child.pid,
    baseUrl,
    errorLogs,
    output: () => output,
    exited,
    stop: async () => {
      if (running()) child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      if (running()) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** One PostgreSQL database that a test file's API processes share, and the processes it started. */
export type SharedDatabase = {
  /** False on PGlite: processes cannot share an in-memory database, so such tests skip. */
  onPostgres: boolean;
  /** The database (its ORM and URL); throws before `beforeAll` or on PGlite. */
  database: () => { db: TestDatabase['db']; url: string };
  /** Starts an API process on the database; stopped (SIGTERM) after the file's tests. */
  start: (env?: Record<string, string>) => Promise<ApiProcess>;
};

/**
 * For multi-process tests: opens a fresh clone of the migrated template before the file's tests
 * and, after them, stops every API process started through it and drops the database.
 */
export function sharedDatabaseForProcesses(): SharedDatabase {
  const onPostgres = inject('testDatabaseTemplate').kind === 'postgres';
  let database: TestDatabase | undefined;
  const apis: ApiProcess[] = [];
  beforeAll(async () => {
    if (onPostgres) database = await openTestDatabase(inject('testDatabaseTemplate'));
  });
  afterAll(async () => {
    await Promise.all(apis.map((api) => api.stop()));
    await database?.dispose();
  });
  const current = () => {
    if (!database?.url) throw new Error('no shared database (PostgreSQL only, after beforeAll)');
    return { db: database.db, url: database.url };
  };
  return {
    onPostgres,
    database: current,
    start: async (env = {}) => {
      const api = await startApiProcess({ DATABASE_URL: current().url, ...env });
      apis.push(api);
      return api;
    },
  };
}
