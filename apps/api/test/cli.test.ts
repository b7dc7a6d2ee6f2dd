import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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
const run = (...args: string[]) =>
  new Promise<CliResult>((resolve) => {
    execFile(process.execPath, [cli, ...args], { env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
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

describe('pnpm cli', () => {
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
    const second = (await json('key', 'create', '--workspace', String(workspaceId), '--name', 'ci')) as {
      apiKey: { id: string; secret: string };
    };
    const list = await run('key', 'list', '--workspace', String(workspaceId), '--json');
    const keys = (JSON.parse(list.stdout) as { keys: { id: string; revokedAt: string | null }[] }).keys;
    expect(keys.map((key) => key.id).sort()).toEqual([firstKey.id, second.apiKey.id].sort());
    expect(list.stdout).not.toContain(firstKey.secret);
    expect(list.stdout).not.toContain(second.apiKey.secret);
    const revoked = (await json('key', 'revoke', second.apiKey.id)) as { apiKey: { revokedAt: string } };
    expect(revoked.apiKey.revokedAt).toEqual(expect.any(String));

    // The keys work (or not) against the server on the same database.
    const db: Database = postgres
      ? postgres.db
      : await openAndMigrateIfEmbedded({ target: { kind: 'pglite', dataDir } });
    const app = await buildServer({ db });
    const status = async (key: string) =>
      (await app.inject({ method: 'GET', url: '/api/tags', headers: { authorization: `Bearer ${key}` } })).statusCode;
    expect(await status(firstKey.secret)).toBe(200);
    expect(await status(second.apiKey.secret)).toBe(401);
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
    expect(usage.stderr).toContain('usage: pnpm cli');
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
