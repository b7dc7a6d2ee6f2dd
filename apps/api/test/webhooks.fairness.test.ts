import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createWebhookEndpoint, createWorkspaceWithKey, sendWebhookTestEvent } from '@tagging/domain';
import { openTestDatabase, type TestDatabase } from '@tagging/domain/testing';
import type {} from '../testing/global-setup.ts';
import { startWebhookDispatcher, type WebhookDispatcherSettings } from '../src/webhooks/webhook-dispatcher.ts';
import { defaultWebhookDispatcherSettings } from '../src/webhooks/webhook-settings.ts';
import { startWebhookReceiver } from './support/webhook-receiver.ts';

/**
 * Fair delivery (issue 17): a slow receiver or a burst in one workspace holds at most
 * `endpointConcurrency` attempts per endpoint and `workspaceConcurrency` per workspace, counted
 * across dispatchers, and the claim takes turns between workspaces, so another workspace's events
 * do not wait behind them.
 */
let database: TestDatabase;

beforeAll(async () => {
  database = await openTestDatabase(inject('testDatabaseTemplate'));
});
afterAll(() => database.dispose());

const settings: WebhookDispatcherSettings = {
  ...defaultWebhookDispatcherSettings,
  allowPrivate: true,
  idleMs: 20,
  timeoutMs: 5000,
  concurrency: 16,
  endpointConcurrency: 4,
};

/** A new endpoint of the workspace with `count` test deliveries queued (in one transaction). */
async function queuedTo(workspaceId: number, url: string, count: number) {
  const endpoint = await createWebhookEndpoint(database.db.fork(), workspaceId, { url });
  await database.db.fork().transactional(async (em) => {
    for (let i = 0; i < count; i++) await sendWebhookTestEvent(em, workspaceId, endpoint.id);
  });
  return { workspaceId, endpoint };
}

/** An endpoint of a new workspace with `count` test deliveries queued (in one transaction). */
async function queued(name: string, url: string, count: number) {
  const { workspace } = await createWorkspaceWithKey(database.db.fork(), name);
  return queuedTo(workspace.id, url, count);
}

/**
 * The defaults as a process runs them (endpoint cap 16 < workspace cap 24 < 32 slots), with the
 * default 10 s timeout: a hanging receiver's attempts end only when it answers or times out.
 */
const defaults: WebhookDispatcherSettings = { ...defaultWebhookDispatcherSettings, allowPrivate: true, idleMs: 20 };

/** Queues `count` test deliveries to a new workspace's endpoint; resolves with how long until all arrived (ms). */
async function promptness(name: string, receiver: Awaited<ReturnType<typeof startWebhookReceiver>>, count: number) {
  const started = Date.now();
  await queued(name, receiver.url(`/${name.replaceAll(' ', '-')}`), count);
  await receiver.waitFor((all) => all.length >= count, 30_000);
  return Date.now() - started;
}

describe('fair webhook delivery', () => {
  it("delivers another workspace's events while a slow receiver's backlog waits", async () => {
    const slow = await startWebhookReceiver();
    const fast = await startWebhookReceiver();
    slow.slowDown(1000);
    // The slow workspace's 120 are queued first: the oldest due deliveries.
    await queued('Slow receiver', slow.url('/slow'), 120);
    await queued('Other workspace', fast.url('/fast'), 10);
    const dispatcher = startWebhookDispatcher(database.db, settings);
    try {
      await fast.waitFor((all) => all.length >= 10);
      // At most a few of the slow receiver's attempts ran meanwhile (taking oldest first, all
      // 16 slots went to them and the other workspace's 10 waited for all 120).
      expect(slow.received.length).toBeLessThanOrEqual(30);
      expect(slow.maxInFlight()).toBeLessThanOrEqual(settings.endpointConcurrency);
    } finally {
      slow.slowDown(0);
      await dispatcher.stop();
      await slow.close();
      await fast.close();
    }
  }, 60_000);

  it("serves another workspace first when a slot frees, even when one endpoint's cap allows every slot", async () => {
    const slow = await startWebhookReceiver();
    const fast = await startWebhookReceiver();
    slow.slowDown(300);
    await queued('Slow, every slot', slow.url('/slow-all'), 40);
    await queued('Waiting workspace', fast.url('/fast-all'), 5);
    // The slow endpoint takes the 4 slots first: its deliveries are the oldest.
    const dispatcher = startWebhookDispatcher(database.db, { ...settings, concurrency: 4, endpointConcurrency: 4 });
    try {
      await fast.waitFor((all) => all.length >= 5);
      // Least loaded first: each freed slot went to the workspace with nothing in flight (oldest
      // first, the other workspace waited for all 40, 10 rounds of 300 ms).
      expect(slow.received.length).toBeLessThanOrEqual(12);
    } finally {
      slow.slowDown(0);
      await dispatcher.stop();
      await slow.close();
      await fast.close();
    }
  }, 60_000);

  it("with the defaults, one workspace's hanging endpoints never hold every slot of a process", async () => {
    expect(defaults.endpointConcurrency).toBeLessThan(defaults.workspaceConcurrency);
    expect(defaults.workspaceConcurrency).toBeLessThan(defaults.concurrency);
    const hanging = await startWebhookReceiver();
    const fast = await startWebhookReceiver();
    hanging.slowDown(6000);
    const { workspaceId } = await queued('Hanging workspace', hanging.url('/hang-1'), 60);
    await queuedTo(workspaceId, hanging.url('/hang-2'), 60);
    await queuedTo(workspaceId, hanging.url('/hang-3'), 60);
    const dispatcher = startWebhookDispatcher(database.db, defaults);
    try {
      // The hanging workspace takes what its cap allows, then waits for its receivers.
      await hanging.waitFor((all) => all.length >= defaults.workspaceConcurrency);
      const took = await promptness('Prompt workspace', fast, 10);
      console.info(`  one process: the other workspace's 10 deliveries took ${took} ms beside 24 hanging attempts`);
      // Well under the 6 s the hanging attempts take (before: 16 slots, one endpoint's cap 16 and
      // no workspace cap, so every slot hung and these waited for the receiver or the timeout).
      expect(took).toBeLessThan(2500);
      expect(hanging.received.length).toBe(defaults.workspaceConcurrency);
    } finally {
      hanging.slowDown(0);
      await dispatcher.stop();
      await hanging.close();
      await fast.close();
    }
  }, 60_000);

  it('with the defaults, two processes together keep one workspace within its cap and serve another at once', async () => {
    const hanging = await startWebhookReceiver();
    const fast = await startWebhookReceiver();
    hanging.slowDown(6000);
    const { workspaceId } = await queued('Hanging across processes', hanging.url('/phang-1'), 60);
    await queuedTo(workspaceId, hanging.url('/phang-2'), 60);
    await queuedTo(workspaceId, hanging.url('/phang-3'), 60);
    const dispatchers = [startWebhookDispatcher(database.db, defaults), startWebhookDispatcher(database.db, defaults)];
    try {
      await hanging.waitFor((all) => all.length >= defaults.workspaceConcurrency);
      const took = await promptness('Prompt across processes', fast, 10);
      console.info(`  two processes: the other workspace's 10 deliveries took ${took} ms beside 24 hanging attempts`);
      expect(took).toBeLessThan(2500);
      // Across both processes (64 slots; before: all of them), the workspace's cap.
      expect(hanging.maxInFlight()).toBe(defaults.workspaceConcurrency);
    } finally {
      hanging.slowDown(0);
      await Promise.all(dispatchers.map((d) => d.stop()));
      await hanging.close();
      await fast.close();
    }
  }, 60_000);

  it('keeps at most the cap in flight to one endpoint across two dispatchers', async () => {
    const receiver = await startWebhookReceiver();
    receiver.slowDown(100);
    const { endpoint } = await queued('Two dispatchers', receiver.url('/capped'), 40);
    const dispatchers = [startWebhookDispatcher(database.db, settings), startWebhookDispatcher(database.db, settings)];
    try {
      await receiver.waitFor((all) => new Set(all.map((r) => String(r.headers['webhook-id']))).size >= 40, 30_000);
      for (const request of receiver.received) receiver.verify(request, endpoint.secret);
      expect(receiver.maxInFlight()).toBeLessThanOrEqual(settings.endpointConcurrency);
      // The cap is reached, not merely respected by a dispatcher that sends one at a time.
      expect(receiver.maxInFlight()).toBe(settings.endpointConcurrency);
    } finally {
      await Promise.all(dispatchers.map((d) => d.stop()));
      await receiver.close();
    }
  }, 60_000);
});
