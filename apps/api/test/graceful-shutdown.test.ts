import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '@tagging/domain/testing';
import { createTaggingRestClient, subscribeToEvents, unwrap } from '@tagging/client';
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
    // In flight for certain: half the body is sent, the signal given, then the rest. (A whole body
    // and a 20 ms head start let the signal come first on a loaded machine: the request was refused
    // with 503 as a new one, CI of session 18.)
    const body = JSON.stringify({ contacts: Array.from({ length: 10_000 }, (_, i) => ({ externalId: `g-${i}` })) });
    let sendRest = () => {};
    const restSent = new Promise<void>((resolve) => (sendRest = resolve));
    const [firstHalf, secondHalf] = [body.slice(0, body.length / 2), body.slice(body.length / 2)].map((part) =>
      new TextEncoder().encode(part),
    );
    const inFlight = fetch(`${baseUrl}/api/contacts/bulk`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: new ReadableStream<Uint8Array>({
        async start(controller) {
          if (firstHalf) controller.enqueue(firstHalf);
          await restSent;
          if (secondHalf) controller.enqueue(secondHalf);
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stopped = api.stop();
    // The signal is handled first (the server logs "shutting down"), then the rest of the body goes.
    await new Promise((resolve) => setTimeout(resolve, 200));
    sendRest();
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

  it('cuts open live event streams at once; the SDK reconnects to the restarted server and misses nothing', async () => {
    // The same data directory as above: its demo workspace already has this key.
    let apiKey = 'tgk_graceful-shutdown-demo-key';
    const env = { DEMO_API_KEY: apiKey, ...(database?.url ? { DATABASE_URL: database.url } : { DATA_DIR: dataDir }) };
    let api = await startApiProcess(env);
    if (database) {
      const { createWorkspaceWithKey } = await import('@tagging/domain');
      apiKey = (await createWorkspaceWithKey(database.db.fork(), 'Streams')).apiKey.secret;
    }
    const { baseUrl } = api;
    const rest = createTaggingRestClient({ baseUrl, apiKey });
    const created: string[] = [];
    const createTag = async (name: string) => {
      await unwrap(rest.POST('/tags', { body: { name } }));
      created.push(name);
    };
    const received: string[] = [];
    const errors: unknown[] = [];
    const stops: (() => void)[] = [];
    const live = subscribeToEvents({
      baseUrl,
      apiKey,
      after: 0,
      types: ['tag.created'],
      onEvent: (event) => received.push((event.data as { tag: { name: string } }).tag.name),
      onError: (error) => errors.push(error),
    });
    const until = async (done: () => boolean, what: string) => {
      for (const deadline = Date.now() + 30_000; !done(); await new Promise((r) => setTimeout(r, 50)))
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: got ${JSON.stringify(received)}`);
    };
    try {
      // A second stream, raw, as any front end holds one: it never ends by itself.
      const raw = await fetch(`${baseUrl}/trpc/events.subscribe?input=%7B%7D`, {
        headers: { authorization: `Bearer ${apiKey}` },
      });
      const rawBody = raw.text().then(
        (text) => ({ text, cut: false }),
        () => ({ text: '', cut: true }),
      );
      await createTag('Before the restart');
      await until(() => received.length === 1, 'the first event');
      // From now on (no `after`), and no event before the restart: its reconnect must not start
      // from a later now (attack: it missed what was written before it came back).
      const fromNow: string[] = [];
      const live2 = subscribeToEvents({
        baseUrl,
        apiKey,
        types: ['tag.created'],
        onEvent: (event) => fromNow.push((event.data as { tag: { name: string } }).tag.name),
        onError: (error) => errors.push(error),
      });
      stops.push(() => live2.unsubscribe());
      await new Promise((r) => setTimeout(r, 500));
      const started = Date.now();
      // Before: each stream held the shutdown for its whole 10 s (exit 1); then, ended with tRPC's
      // `return` event, the SDK took the subscription as finished and never reconnected.
      expect(await api.stop()).toBe(0);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(api.output()).not.toContain('shutdown did not finish');
      const ended = await rawBody;
      expect(ended.cut || !ended.text.includes('event: return')).toBe(true);
      api = await startApiProcess({ ...env, PORT: new URL(baseUrl).port });
      await createTag('After the restart');
      await until(() => received.length === 2 && fromNow.length === 1, 'the event after the restart');
      await new Promise((r) => setTimeout(r, 500)); // a repeated event would arrive now
      expect(received).toEqual(created);
      expect(fromNow).toEqual(['After the restart']);
      expect(errors).toEqual([]);
    } finally {
      live.unsubscribe();
      for (const stop of stops) stop();
      expect(await api.stop()).toBe(0);
    }
  }, 90_000);
});
