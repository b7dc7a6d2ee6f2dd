import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultWebhookRetryPolicy, deleteExpiredEvents, listEvents } from '@tagging/domain';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { fixture, type WorkspaceFixture } from '../testing/workspace-fixture.ts';
import { startWebhookReceiver } from './support/webhook-receiver.ts';

/**
 * What a delivery may do in each state (issue 17, black-box attack findings): a manual retry only
 * of a failed delivery (never a second send beside one in flight); retention never leaves a
 * delivery to be sent without its event; an endpoint disabled gets no deliveries for the events
 * committed meanwhile, and those queued before wait for it. A real receiver on 127.0.0.1.
 */
let server: TestServer;
let ws: WorkspaceFixture;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

// A failed attempt waits a minute (30-60 s with jitter) and the second one is the last: a
// delivery stays pending in its backoff for the whole test unless something pulls it forward.
const retry = { ...defaultWebhookRetryPolicy, baseDelayMs: 60_000, maxDelayMs: 60_000, maxAttempts: 2 };

beforeAll(async () => {
  server = await startTestServer({ changeEvents: { webhooks: { retry } } });
  ws = await fixture(server, 'Delivery states');
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await server.close();
  await receiver.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const to = (path: string) => receiver.received.filter((r) => r.path === path);

/** The endpoint's one delivery, once it has `attempts` recorded. */
async function deliveryAfter(endpointId: string, attempts: number) {
  for (let i = 0; i < 250; i++) {
    const { deliveries } = await ws.trpc.webhooks.deliveries.query({ id: endpointId });
    const [delivery] = deliveries;
    if (delivery && delivery.attempts >= attempts) return delivery;
    await sleep(20);
  }
  throw new Error(`no delivery of ${endpointId} with ${attempts} attempts`);
}

const retryPath = (endpointId: string, deliveryId: string) =>
  `/api/webhooks/endpoints/${endpointId}/deliveries/${deliveryId}/retry`;

describe('a manual retry', () => {
  it('is refused while the delivery is in flight or waiting for its backoff, and only one of many overlapping retries of a failed one runs', async () => {
    receiver.answer(({ path, count }) => (path === '/retried' && count <= 2 ? 500 : 200));
    receiver.slowDown(1500);
    const endpoint = await ws.trpc.webhooks.create.mutate({ url: receiver.url('/retried') });
    const queued = await ws.trpc.webhooks.sendTest.mutate({ id: endpoint.id });
    await receiver.waitFor(() => to('/retried').length >= 1);

    // In flight: 7 overlapping retries (REST) and one over tRPC are all refused; nothing more is sent.
    const inFlight = await Promise.all(
      Array.from({ length: 7 }, () => ws.raw('POST', retryPath(endpoint.id, queued.id))),
    );
    expect(inFlight.map((r) => r.status)).toEqual(Array.from({ length: 7 }, () => 409));
    expect(JSON.stringify(inFlight[0]?.body)).toMatch(/is pending/);
    await expect(ws.trpc.webhooks.retryDelivery.mutate({ id: endpoint.id, deliveryId: queued.id })).rejects.toThrow(
      /only a failed delivery can be retried/,
    );
    receiver.slowDown(0);

    // Answered 500: pending, its next attempt a minute away. A retry now is refused too.
    const waiting = await deliveryAfter(endpoint.id, 1);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 500 });
    expect((await ws.raw('POST', retryPath(endpoint.id, queued.id))).status).toBe(409);
    expect(to('/retried')).toHaveLength(1);

    // Re-enabling an endpoint is what sends its waiting deliveries now: the second (last)
    // attempt fails too, so the delivery is failed.
    await ws.trpc.webhooks.update.mutate({ id: endpoint.id, disabled: true });
    await ws.trpc.webhooks.update.mutate({ id: endpoint.id, disabled: false });
    expect(await deliveryAfter(endpoint.id, 2)).toMatchObject({ status: 'failed', attempts: 2 });

    // Failed: of 7 overlapping retries exactly one is accepted, and exactly one attempt follows.
    const overlapping = await Promise.all(
      Array.from({ length: 7 }, () => ws.raw('POST', retryPath(endpoint.id, queued.id))),
    );
    expect(overlapping.map((r) => r.status).sort()).toEqual([202, 409, 409, 409, 409, 409, 409]);
    expect(await deliveryAfter(endpoint.id, 3)).toMatchObject({ status: 'succeeded', attempts: 3 });
    await sleep(200);
    expect(to('/retried')).toHaveLength(3);
    const detail = await ws.trpc.webhooks.delivery.query({ id: endpoint.id, deliveryId: queued.id });
    expect(detail.attemptLog.map((a) => a.statusCode)).toEqual([500, 500, 200]);
  });
});

describe('event retention', () => {
  it('ends the pending deliveries of the events it deletes as failed, and none is ever sent without its event', async () => {
    receiver.answer(({ path, count }) => (path === '/expiring' && count === 1 ? 500 : 200));
    const endpoint = await ws.trpc.webhooks.create.mutate({ url: receiver.url('/expiring'), eventTypes: ['tag.created'] });
    await ws.tag({ name: 'Expiring' });
    const waiting = await deliveryAfter(endpoint.id, 1);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1 });

    // Every event is past a retention of 0 ms; finished deliveries are kept.
    await deleteExpiredEvents(server.db, { eventRetentionMs: 0, deliveryRetentionMs: 3_600_000 });
    const ended = await ws.trpc.webhooks.delivery.query({ id: endpoint.id, deliveryId: waiting.id });
    expect(ended).toMatchObject({ status: 'failed', attempts: 1, nextAttemptAt: null });
    expect(ended.lastError).toMatch(/the event expired before delivery \(EVENT_RETENTION_DAYS\)/);
    // Nothing to send: a retry is refused, and re-enabling the endpoint sends nothing.
    await expect(
      ws.trpc.webhooks.retryDelivery.mutate({ id: endpoint.id, deliveryId: waiting.id }),
    ).rejects.toThrow(/the event expired/);
    await ws.trpc.webhooks.update.mutate({ id: endpoint.id, disabled: true });
    await ws.trpc.webhooks.update.mutate({ id: endpoint.id, disabled: false });
    await sleep(300);
    expect(to('/expiring')).toHaveLength(1);
  });

  it('does not send a re-enabled endpoint’s deliveries whose events are gone', async () => {
    receiver.answer(({ path }) => (path === '/reenabled' ? 500 : 200));
    const endpoint = await ws.trpc.webhooks.create.mutate({ url: receiver.url('/reenabled'), eventTypes: ['tag.created'] });
    await ws.tag({ name: 'Gone before re-enabling' });
    const waiting = await deliveryAfter(endpoint.id, 1);
    await ws.trpc.webhooks.update.mutate({ id: endpoint.id, disabled: true });
    // The event goes while the endpoint is off, behind retention's back (an operator's delete, or
    // a retention that ran while this delivery's attempt was in flight): the claim must not send it.
    await server.db.fork().execute(`delete from event where workspace_id = ? and type = 'tag.created'`, [ws.id]);
    receiver.answer(() => 200);
    await ws.trpc.webhooks.update.mutate({ id: endpoint.id, disabled: false });
    let delivery = await ws.trpc.webhooks.delivery.query({ id: endpoint.id, deliveryId: waiting.id });
    for (let i = 0; i < 100 && delivery.status === 'pending'; i++) {
      await sleep(20);
      delivery = await ws.trpc.webhooks.delivery.query({ id: endpoint.id, deliveryId: waiting.id });
    }
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1 });
    expect(delivery.lastError).toMatch(/the event expired before delivery/);
    expect(to('/reenabled')).toHaveLength(1);
    for (const request of receiver.received) expect(request.event.id).toEqual(expect.any(String));
  });
});

describe('a disabled endpoint', () => {
  it('gets no deliveries for events committed while disabled (the feed has them); those queued before wait and go on re-enabling', async () => {
    // The first request fails (its delivery then waits a minute), every later one succeeds.
    let failed = false;
    receiver.answer(({ path }) => (path === '/paused' && !failed ? ((failed = true), 500) : 200));
    const endpoint = await ws.trpc.webhooks.create.mutate({ url: receiver.url('/paused'), eventTypes: ['tag.created'] });
    const before = await ws.tag({ name: 'Before the pause' });
    // Its first attempt failed: waiting a minute for the next one.
    const waiting = await deliveryAfter(endpoint.id, 1);
    await ws.trpc.webhooks.update.mutate({ id: endpoint.id, disabled: true });
    const during = await ws.tag({ name: 'During the pause' });
    await sleep(300); // numbered, and queued for no one

    await ws.trpc.webhooks.update.mutate({ id: endpoint.id, disabled: false });
    const after = await ws.tag({ name: 'After the pause' });
    await receiver.waitFor(() => to('/paused').filter((r) => r.status === 200).length >= 2);
    await sleep(300);
    const delivered = to('/paused')
      .filter((r) => r.status === 200)
      .map((r) => (r.event.data.tag as { id: string }).id);
    expect(delivered.sort()).toEqual([before.id, after.id].sort());
    const { deliveries } = await ws.trpc.webhooks.deliveries.query({ id: endpoint.id });
    expect(deliveries.map((d) => d.status)).toEqual(['succeeded', 'succeeded']);
    expect(deliveries.some((d) => d.id === waiting.id)).toBe(true);

    // The integrator's backfill: the feed after the last `seq` it received before the pause.
    const lastSeq = to('/paused')[0]?.event.seq ?? 0;
    const backfill = (await listEvents(server.db.fork(), ws.id, { after: lastSeq, types: 'tag.created', limit: 100 }))
      .events;
    expect(backfill.map((e) => (e.data.tag as { id: string }).id)).toContain(during.id);
  });
});
