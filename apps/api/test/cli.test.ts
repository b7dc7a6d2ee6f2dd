import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openAndMigrateIfEmbedded, type Database } from '@tagging/domain';
import { openTestDatabase, type TestDatabase } from '@tagging/domain/testing';
import type {} from '../testing/global-setup.ts';
import { buildServer } from '../src/server.ts';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

/** The admin CLI as an operator runs it: a child process on the configured database. */
let env: Record<string, string>;
let dataDir: string;
let postgres: TestDatabase | undefined;

type CliResult = { code: number; stdout: string; stderr: string };
const runWith = (extraEnv: Record<string, string>, ...args: string[]) =>
  new Promise<CliResult>((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { env: { ...process.env, ...env, ...extraEnv } },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
const run = (...args: string[]) => runWith({}, ...args);
const json = async (...args: string[]) => {
  const result = await run(...args, '--json');
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as unknown;
};

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'tagging-cli-'));
  const template = inject('testDatabaseTemplate');
  if (template.kind === 'postgres') {
    postgres = await openTestDatabase(template);
    env = { DATABASE_URL: postgres.url ?? '' };
  } else {
    env = { DATA_DIR: dataDir, DATABASE_URL: '' };
  }
});
afterAll(async () => {
  await postgres?.dispose();
  await rm(dataDir, { recursive: true, force: true });
});

// Each test spawns the CLI, which on PGlite starts the embedded database: tens of seconds on a
// busy 2-core machine running the whole suite.
describe('pnpm cli', { timeout: 120_000 }, () => {
  let workspaceId: number;
  let firstKey: { id: string; secret: string };

  it('migrates', async () => {
    const result = (await json('migrate')) as { applied: unknown };
    expect(Array.isArray(result.applied)).toBe(true);
    expect(await json('migrate')).toEqual({ applied: [] });
  });

  it('creates a workspace with its first key, shown once', async () => {
    const result = (await json('workspace', 'create', '--name', 'Acme')) as {
      workspace: { id: number; name: string };
      apiKey: { id: string; secret: string };
    };
    expect(result.workspace.name).toBe('Acme');
    expect(result.apiKey.secret).toMatch(/^tgk_/);
    workspaceId = result.workspace.id;
    firstKey = result.apiKey;
  });

  it('issues, lists (without secrets) and revokes keys', async () => {
    type Issued = { apiKey: { id: string; secret: string; scope: string; expiresAt: string | null } };
    const second = (await json('key', 'create', '--workspace', String(workspaceId), '--name', 'ci')) as Issued;
    expect(second.apiKey).toMatchObject({ scope: 'admin', expiresAt: null });
    const expiresAt = '2099-01-31T12:00:00.000Z';
    const reader = (await json(
      ...['key', 'create', '--workspace', String(workspaceId), '--scope', 'read', '--expires-at', expiresAt],
    )) as Issued;
    expect(reader.apiKey).toMatchObject({ scope: 'read', expiresAt });
    const list = await run('key', 'list', '--workspace', String(workspaceId), '--json');
    const keys = (JSON.parse(list.stdout) as { keys: { id: string; revokedAt: string | null }[] }).keys;
    expect(keys.map((key) => key.id).sort()).toEqual([firstKey.id, second.apiKey.id, reader.apiKey.id].sort());
    expect((await run('key', 'list', '--workspace', String(workspaceId))).stdout).toMatch(
      new RegExp(`${reader.apiKey.id} .* read  active, expires ${expiresAt}, last used never`),
    );
    expect(list.stdout).not.toContain(firstKey.secret);
    expect(list.stdout).not.toContain(second.apiKey.secret);
    const revoked = (await json('key', 'revoke', second.apiKey.id)) as { apiKey: { revokedAt: string } };
    expect(revoked.apiKey.revokedAt).toEqual(expect.any(String));
    // A date is midnight UTC; an offset is kept as its instant, in UTC.
    for (const [given, instant] of [
      ['2099-02-01', '2099-02-01T00:00:00.000Z'],
      ['2099-01-31T12:00:00+05:00', '2099-01-31T07:00:00.000Z'],
    ]) {
      const dated = (await json(
        ...['key', 'create', '--workspace', String(workspaceId), '--scope', 'read', '--expires-at', given ?? ''],
      )) as Issued;
      expect(dated.apiKey.expiresAt, given).toBe(instant);
      await json('key', 'revoke', dated.apiKey.id);
    }

    // The keys work (or not) against the server on the same database.
    const db: Database = postgres
      ? postgres.db
      : await openAndMigrateIfEmbedded({ target: { kind: 'pglite', dataDir } });
    const app = await buildServer({ db });
    const status = async (key: string) =>
      (await app.inject({ method: 'GET', url: '/api/tags', headers: { authorization: `Bearer ${key}` } })).statusCode;
    expect(await status(firstKey.secret)).toBe(200);
    expect(await status(second.apiKey.secret)).toBe(401);
    expect(await status(reader.apiKey.secret)).toBe(200);
    const write = await app.inject({
      method: 'POST',
      url: '/api/tags',
      headers: { authorization: `Bearer ${reader.apiKey.secret}`, 'content-type': 'application/json' },
      payload: { name: 'not by a read key' },
    });
    expect(write.statusCode).toBe(403);
    await app.close();
    if (!postgres) await db.close();
  });

  it('checks the inheritance invariants', async () => {
    expect(await json('check-invariants')).toEqual({ violations: [], pendingPropagations: 0 });
  });

  it('explains its errors', async () => {
    const unknownWorkspace = await run('key', 'create', '--workspace', '999999', '--json');
    expect(unknownWorkspace.code).toBe(1);
    expect(JSON.parse(unknownWorkspace.stdout)).toEqual({ error: 'workspace 999999 not found' });
    const usage = await run('frobnicate');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: ./pnpm cli');
  });

  it('prints the whole document to a slow consumer of a large output, then exits', { timeout: 120_000 }, async () => {
    // 1,000 rows of missing sessions: ~200 KB of JSON, more than a pipe and the reader buffer.
    const db: Database = postgres
      ? postgres.db
      : await openAndMigrateIfEmbedded({ target: { kind: 'pglite', dataDir } });
    const tagId = 'wtag_00000000-0000-7000-8000-00000000c011';
    await db
      .fork()
      .execute(
        `insert into tag (workspace_id, id, name, name_key, "order") values (?, ?, 'CLI output', 'cli output', 1)`,
        [workspaceId, tagId],
      );
    await db.fork().execute(
      `insert into entity_tag (workspace_id, id, entity_type, entity_id, tag_id, source_type)
       select ?, 'etag_cli_' || n, 'session', 'wses_missing_' || n, ?, 'direct' from generate_series(1, 1000) n`,
      [workspaceId, tagId],
    );
    if (!postgres) await db.close();

    const child = spawn(process.execPath, [cli, 'check-invariants', '--json'], { env: { ...process.env, ...env } });
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // Nothing is read for a second, or until the CLI has exited (it must not, with output pending).
    await Promise.race([exited, delay(1000)]);
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    const code = await closed;
    const stdout = Buffer.concat(chunks).toString('utf8');
    expect(stdout.length).toBeGreaterThan(150_000);
    const report = JSON.parse(stdout) as { violations: unknown[] };
    expect(report.violations).toHaveLength(1000);
    expect(code).toBe(1);

    const cleanup: Database = postgres
      ? postgres.db
      : await openAndMigrateIfEmbedded({ target: { kind: 'pglite', dataDir } });
    await cleanup.fork().execute('delete from tag where workspace_id = ? and id = ?', [workspaceId, tagId]);
    if (!postgres) await cleanup.close();
    expect(await json('check-invariants')).toEqual({ violations: [], pendingPropagations: 0 });
  });

  it.runIf(inject('testDatabaseTemplate').kind === 'pglite')(
    'refuses the embedded database while a server holds it',
    async () => {
      await writeFile(path.join(dataDir, 'tagging-server.pid'), String(process.ppid));
      const result = await run('key', 'list');
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('stop it first');
      await rm(path.join(dataDir, 'tagging-server.pid'));
    },
  );
});

describe('pnpm cli usage', () => {
  // Every command, as an operator types it; none of these reach the database.
  const commands = [
    ['workspace', 'create'],
    ['key', 'create'],
    ['key', 'list'],
    ['key', 'revoke'],
    ['migrate'],
    ['check-invariants'],
  ];
  /** Each command with valid arguments, so that the one thing wrong is what the test adds. */
  const valid: Record<string, string[]> = {
    'workspace create': ['--name', 'Acme'],
    'key create': ['--workspace', '1'],
    'key revoke': ['key_0'],
  };
  // The runs of a test are independent: run them at once (each spawns Node).
  const runAll = (runs: string[][]) => Promise.all(runs.map((args) => run(...args)));
  const noStackTrace = (text: string) => expect(text).not.toMatch(/^\s+at /m);

  it('answers --help on every command with its usage, exit 0', { timeout: 120_000 }, async () => {
    const groups = [[], ['workspace'], ['key'], ...commands];
    const results = await runAll(groups.map((command) => [...command, '--help']));
    results.forEach((result, i) => {
      const command = groups[i] ?? [];
      expect(result.code, command.join(' ')).toBe(0);
      expect(result.stdout).toContain(`usage: ./pnpm cli ${command.join(' ')}`.trimEnd());
      expect(result.stdout).toContain('--json');
    });
    const [overview, helpCommand] = await runAll([[], ['key', 'help', 'create']]);
    expect(overview?.code).toBe(0);
    expect(overview?.stdout).toContain('check-invariants');
    expect(helpCommand?.stdout).toContain('--workspace <id>');
  });

  it(
    'refuses an unknown option on every command: usage on stderr, exit 2, no stack trace',
    { timeout: 120_000 },
    async () => {
      const results = await runAll(
        commands.map((command) => [...command, ...(valid[command.join(' ')] ?? []), '--frobnicate']),
      );
      results.forEach((result, i) => {
        const command = commands[i] ?? [];
        expect(result.code, command.join(' ')).toBe(2);
        expect(result.stderr).toContain("unknown option '--frobnicate'");
        expect(result.stderr).toContain(`usage: ./pnpm cli ${command.join(' ')}`);
        noStackTrace(result.stderr);
      });
    },
  );

  it(
    'refuses a flag without its value, a missing argument and a bad workspace id with exit 2',
    { timeout: 120_000 },
    async () => {
      const runs = [
        ['workspace', 'create', '--name'],
        ['workspace', 'create'],
        ['key', 'create', '--workspace'],
        ['key', 'create', '--name', 'ci'],
        ['key', 'create', '--workspace', 'abc'],
        ['key', 'list', '--workspace'],
        ['key', 'list', '--workspace', '0'],
        // Not decimal: `Number()` would read each as a workspace id.
        ['key', 'list', '--workspace', '0x1'],
        ['key', 'list', '--workspace', ' 1'],
        ['key', 'revoke'],
        ['key', 'revoke', 'a', 'b'],
        ['key', 'create', '--workspace', '1', '--scope', 'owner'],
        ['key', 'create', '--workspace', '1', '--expires-at', 'soon'],
        ['key', 'create', '--workspace', '1', '--expires-at', '2020-01-01T00:00:00Z'],
        // Read as the API reads it: an impossible date, no offset (local time), a five-digit
        // year in UTC are refused, not rolled over or guessed.
        ['key', 'create', '--workspace', '1', '--expires-at', '2030-02-30T00:00:00Z'],
        ['key', 'create', '--workspace', '1', '--expires-at', '2030-01-01T00:00:00'],
        ['key', 'create', '--workspace', '1', '--expires-at', '9999-12-31T23:00:00-01:00'],
        ['key'],
        ['workspace', 'delete'],
      ];
      (await runAll(runs)).forEach((result, i) => {
        const args = (runs[i] ?? []).join(' ');
        expect(result.code, args).toBe(2);
        expect(result.stderr, args).toContain('usage: ./pnpm cli');
        noStackTrace(result.stderr);
      });
      // A configuration the CLI cannot use is a failed command (1), explained without a stack trace.
      const misconfigured = await runWith({ DATABASE_URL: 'not-a-url' }, 'migrate');
      expect(misconfigured.code).toBe(1);
      expect(misconfigured.stderr).toContain('invalid configuration: DATABASE_URL');
      noStackTrace(misconfigured.stderr);
      // With --json, the error is also a JSON document on stdout.
      const result = await run('key', 'create', '--workspace', '--json');
      expect(result.code).toBe(2);
      const bad = await run('key', 'list', '--workspace', 'x', '--json');
      expect(bad.code).toBe(2);
      expect(JSON.parse(bad.stdout)).toEqual({ error: expect.stringContaining('--workspace') });
    },
  );
});
