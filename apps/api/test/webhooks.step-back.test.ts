import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createWebhookEndpoint, createWorkspaceWithKey, sendWebhookTestEvent } from '@tagging/domain';
import { openTestDatabase, type TestDatabase } from '@tagging/domain/testing';
import type {} from '../testing/global-setup.ts';
import { ForegroundLoad } from '../src/http/foreground-load.ts';
import { buildServer } from '../src/server.ts';
import { startWebhookDispatcher, type WebhookDispatcherSettings } from '../src/webhooks/webhook-dispatcher.ts';
import { defaultWebhookDispatcherSettings, webhookSettingsFromEnv } from '../src/webhooks/webhook-settings.ts';
import { readEnv } from '../src/env.ts';
import { startWebhookReceiver } from './support/webhook-receiver.ts';

/**
 * Deliveries are background work (issue 17; DECISIONS.md, "Deliveries step back while requests
 * are busy"): while the process is busy serving requests, claims are `busyPauseMs` apart; the
 * deliveries still all go out, and without requests they run at full speed.
 */
let database: TestDatabase;

beforeAll(async () => {
  database = await openTestDatabase(inject('testDatabaseTemplate'));
});
afterAll(() => database.dispose());

/** Keeps the event loop busy for `ms` (a process starved by requests looks like this to it). */
function spin(ms: number) {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

describe('foreground load', () => {
  it('is busy only when the event loop was busy and requests were answered', () => {
    const load = new ForegroundLoad();
    spin(120);
    expect(load.isBusy(), 'busy loop, no request answered').toBe(false);
    load.noteResponse();
    spin(120);
    expect(load.isBusy(), 'busy loop and a request answered').toBe(true);
    // Asked again within the window: the same verdict, nothing measured.
    expect(load.isBusy()).toBe(true);
  });

  it('is not busy when requests are answered but the event loop mostly waits', async () => {
    const load = new ForegroundLoad();
    load.noteResponse();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(load.isBusy()).toBe(false);
  });

  it("counts the server's answered requests", async () => {
    const load = new ForegroundLoad();
    const app = await buildServer({ db: database.db, foregroundLoad: load });
    try {
      spin(120);
      expect(load.isBusy(), 'nothing answered yet').toBe(false);
      const answer = await app.inject({ method: 'GET', url: '/api/tags' });
      expect(answer.statusCode).toBe(401);
      spin(120);
      expect(load.isBusy(), 'one answered (a refusal counts: it was served)').toBe(true);
    } finally {
      await app.close();
    }
  });

  it('takes the pause from WEBHOOK_BUSY_PAUSE_MS (default 200 ms, 0 never steps back)', () => {
    const base = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' };
    expect(webhookSettingsFromEnv(readEnv(base)).delivery.busyPauseMs).toBe(200);
    expect(webhookSettingsFromEnv(readEnv({ ...base, WEBHOOK_BUSY_PAUSE_MS: '0' })).delivery.busyPauseMs).toBe(0);
    expect(() => readEnv({ ...base, WEBHOOK_BUSY_PAUSE_MS: '-1' })).toThrow();
  });
});

describe('webhook deliveries step back while requests are busy', () => {
  // Long enough that the full-speed run stays far below three pauses on a loaded machine.
  const pauseMs = 1000;
  const settings: WebhookDispatcherSettings = {
    ...defaultWebhookDispatcherSettings,
    allowPrivate: true,
    idleMs: 20,
    timeoutMs: 5000,
    concurrency: 3,
    endpointConcurrency: 3,
    workspaceConcurrency: 3,
    busyPauseMs: pauseMs,
  };

  /** Queues 12 test deliveries to a new endpoint and resolves with how long a dispatcher took to send them all (ms). */
  async function deliverTwelve(name: string, busy: boolean) {
    const receiver = await startWebhookReceiver();
    const { workspace } = await createWorkspaceWithKey(database.db.fork(), name);
    const endpoint = await createWebhookEndpoint(database.db.fork(), workspace.id, { url: receiver.url('/step') });
    await database.db.fork().transactional(async (em) => {
      for (let i = 0; i < 12; i++) await sendWebhookTestEvent(em, workspace.id, endpoint.id);
    });
    let asked = 0;
    const started = performance.now();
    const dispatcher = startWebhookDispatcher(database.db, {
      ...settings,
      foreground: {
        isBusy: () => {
          asked += 1;
          return busy;
        },
      },
    });
    try {
      await receiver.waitFor((all) => all.length >= 12, 30_000);
      return { ms: performance.now() - started, asked, ids: new Set(receiver.received.map((r) => r.event.id)).size };
    } finally {
      await dispatcher.stop();
      await receiver.close();
    }
  }

  it('paces claims while busy, and every delivery still goes out once', async () => {
    // 12 deliveries, 3 slots: at least 4 claims, each at least the pause after the one before.
    const busy = await deliverTwelve('Busy process', true);
    expect(busy.ids).toBe(12);
    expect(busy.asked).toBeGreaterThanOrEqual(3);
    expect(busy.ms).toBeGreaterThanOrEqual(3 * pauseMs - 20);
  }, 60_000);

  it('runs at full speed when the process is not busy', async () => {
    const idle = await deliverTwelve('Idle process', false);
    expect(idle.ids).toBe(12);
    expect(idle.ms).toBeLessThan(3 * pauseMs);
  }, 60_000);
});
