import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { adminUrl, withClient, withDatabase } from './db.ts';

const run = promisify(execFile);

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export type BenchDatabase = { url: string; workspaceId: number; apiKey: string };

/** Runs the API's CLI (`apps/api/src/cli.ts`) on this Node against `url`. */
export async function cli(url: string, args: readonly string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ['apps/api/src/cli.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' },
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

/** Drops and recreates the dedicated database, migrates it and creates the main workspace. */
export async function createBenchDatabase(baseUrl: string, name: string): Promise<BenchDatabase> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name) || name === 'test' || name === 'postgres')
    throw new Error(`refusing to use database "${name}"`);
  await withClient(adminUrl(baseUrl), async (sql) => {
    await sql.query(`drop database if exists ${name} with (force)`);
    await sql.query(`create database ${name}`);
  });
  const url = withDatabase(baseUrl, name);
  await cli(url, ['migrate']);
  const created = JSON.parse(await cli(url, ['workspace', 'create', '--name', 'Bench', '--json'])) as {
    workspace: { id: number };
    apiKey: { secret: string };
  };
  return { url, workspaceId: created.workspace.id, apiKey: created.apiKey.secret };
}

/** Other tenants, created in SQL (they only need to exist and hold rows). */
export async function createOtherWorkspaces(url: string, count: number): Promise<number[]> {
  return withClient(url, async (sql) => {
    const result = await sql.query<{ id: number }>(
      `insert into workspace (name) select 'Other ' || i from generate_series(1, $1::int) i returning id`,
      [count],
    );
    return result.rows.map((row) => row.id);
  });
}
