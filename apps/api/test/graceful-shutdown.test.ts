import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '@tagging/domain/testing';
import type {} from '../testing/global-setup.ts';

/**
 * SIGTERM to the real process: the request in flight finishes, new ones are refused, the
 * process exits 0 (and on the embedded database releases its data directory).
 */
const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
let database: TestDatabase | undefined;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'tagging-shutdown-'));
  const template = inject('testDatabaseTemplate');
  if (template.kind === 'postgres') database = await openTestDatabase(template);
});
afterAll(async () => {
  await database?.dispose();
  await rm(dataDir, { recursive: true, force: true });
});

describe('graceful shutdown', () => {
  it('finishes the request in flight, refuses new ones and exits 0', async () => {
    const key = 'tgk_graceful-shutdown-demo-key';
    const env: Record<string, string> = { PORT: '0', LOG_LEVEL: 'info', DEMO_API_KEY: key };
    if (database?.url) env.DATABASE_URL = database.url;
    else env.DATA_DIR = dataDir;
    const child = spawn(process.execPath, [main], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const baseUrl = await new Promise<string>((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (data: Buffer) => {
        output += data.toString();
        const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match?.[1]) resolve(match[1]);
      });
      void exited.then(() => reject(new Error(output)));
    });
    let authorization = `Bearer ${key}`;
    if (database) {
      // On a server database there is no demo workspace: make one.
      const { createWorkspaceWithKey } = await import('@tagging/domain');
      authorization = `Bearer ${(await createWorkspaceWithKey(database.db.fork(), 'Shutdown')).apiKey.secret}`;
    }
    const inFlight = fetch(`${baseUrl}/api/contacts/bulk`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ contacts: Array.from({ length: 10_000 }, (_, i) => ({ externalId: `g-${i}` })) }),
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGTERM');
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ created: 10_000 });
    const after = await fetch(`${baseUrl}/healthz`).then(
      (r) => r.status,
      () => 'refused',
    );
    expect([503, 'refused']).toContain(after);
    expect(await exited).toBe(0);
    if (!database) expect(existsSync(path.join(dataDir, 'tagging-server.pid'))).toBe(false);
  }, 60_000);
});
