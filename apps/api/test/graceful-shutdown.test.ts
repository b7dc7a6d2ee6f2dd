import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '@tagging/domain/testing';
import type {} from '../testing/global-setup.ts';
import { startApiProcess } from '../testing/api-process.ts';

/**
 * SIGTERM to the real process: the request in flight finishes, new ones are refused, the
 * process exits 0 (and on the embedded database releases its data directory), and every log
 * line the buffer held is written.
 */
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
    const api = await startApiProcess({
      DEMO_API_KEY: key,
      ...(database?.url ? { DATABASE_URL: database.url } : { DATA_DIR: dataDir }),
    });
    const { baseUrl } = api;
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
    const stopped = api.stop();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ created: 10_000 });
    const after = await fetch(`${baseUrl}/healthz`).then(
      (r) => r.status,
      () => 'refused',
    );
    expect([503, 'refused']).toContain(after);
    expect(await stopped).toBe(0);
    // Log lines are buffered (LOG_BUFFER_BYTES): the exit still writes every one of them.
    const lines = api
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg?: string; route?: string; statusCode?: number });
    expect(lines).toContainEqual(expect.objectContaining({ route: '/api/contacts/bulk', statusCode: 200 }));
    expect(lines.at(-1)).toMatchObject({ msg: 'background worker stopped' });
    if (!database) expect(existsSync(path.join(dataDir, 'tagging-server.pid'))).toBe(false);
  }, 60_000);

  it('ends open live event streams, so a server with subscribers still stops at once and exits 0', async () => {
    // The same data directory as above: its demo workspace already has this key.
    const key = 'tgk_graceful-shutdown-demo-key';
    const api = await startApiProcess({
      DEMO_API_KEY: key,
      ...(database?.url ? { DATABASE_URL: database.url } : { DATA_DIR: dataDir }),
    });
    let authorization = `Bearer ${key}`;
    if (database) {
      const { createWorkspaceWithKey } = await import('@tagging/domain');
      authorization = `Bearer ${(await createWorkspaceWithKey(database.db.fork(), 'Streams')).apiKey.secret}`;
    }
    // Two subscribers, as a front end holds them (server-sent events; they never end by themselves).
    const streams = await Promise.all(
      [0, 1].map(() => fetch(`${api.baseUrl}/trpc/events.subscribe?input=%7B%7D`, { headers: { authorization } })),
    );
    const bodies = streams.map(async (response) => {
      expect(response.status).toBe(200);
      return response.text();
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    // Before the fix each stream held the shutdown for its whole 10 s, and the process exited 1.
    expect(await api.stop()).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    for (const body of await Promise.all(bodies)) expect(body).toContain('event: connected');
    expect(api.output()).not.toContain('shutdown did not finish');
  }, 60_000);
});
