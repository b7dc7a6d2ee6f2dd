import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listEvents, noActor, tagContact } from '@tagging/domain';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { fixture, type WorkspaceFixture } from '../testing/workspace-fixture.ts';
import { checkWebhookUrl, isPrivateAddress, refusedLiteralAddress } from '../src/webhooks/url-guard.ts';
import { startWebhookReceiver } from './support/webhook-receiver.ts';

/** Webhooks end to end: a real receiver on 127.0.0.1 verifying every signature with `standardwebhooks`. */
let server: TestServer;
let ws: WorkspaceFixture;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

beforeAll(async () => {
  server = await startTestServer({
    changeEvents: { webhooks: { retry: { baseDelayMs: 50, maxDelayMs: 200, maxAttempts: 3, disableAfterMs: 1500 } } },
  });
  ws = await fixture(server, 'Webhooks');
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await server.close();
  await receiver.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('webhooks', () => {
  it('delivers each committed change once, signed, and nothing for a rolled-back one', async () => {
    const { data: endpoint } = await ws.rest.POST('/webhooks/endpoints', {
      body: { url: receiver.url('/all'), description: 'everything' },
    });
    if (!endpoint) throw new Error('create failed');
    expect(endpoint.secret).toMatch(/^whsec_/);
    // The secret is shown once: reads never carry it.
    const { data: read } = await ws.rest.GET('/webhooks/endpoints/{id}', { params: { path: { id: endpoint.id } } });
    expect(read).not.toHaveProperty('secret');

    const tag = await ws.tag({ name: 'Hooked' });
    const contact = await ws.contact();
    await ws.sessionOf(contact);
    await ws.tagContact(contact, tag);
    // A change rolled back after its event was written: no event, no delivery.
    const other = await ws.contact();
    await expect(
      server.db.fork().transactional(async (em) => {
        await tagContact(
          em,
          ws.id,
          { workspaceId: ws.id, contactId: other.id, tagId: tag.id },
          { syncFanOutLimit: 10 },
          noActor,
        );
        throw new Error('roll back');
      }),
    ).rejects.toThrow();
    await ws.trpc.entityTags.untagContact.mutate({ workspaceId: ws.id, contactId: contact.id, tagId: tag.id });

    await receiver.waitFor((all) => all.filter((r) => r.path === '/all').length >= 3);
    await sleep(300); // anything extra would arrive now
    const feed = (await listEvents(server.db.fork(), ws.id, { after: 0, limit: 1000 })).events;
    // Deliveries run concurrently: order is not promised (`seq` orders them).
    const got = receiver.received.filter((r) => r.path === '/all').sort((a, b) => a.event.seq - b.event.seq);
    for (const request of got) expect(receiver.verify(request, endpoint.secret)).toBeTruthy();
    expect(got.map((r) => r.event.type)).toEqual(['tag.created', 'contact.tagged', 'contact.untagged']);
    expect(got.map((r) => r.headers['webhook-id'])).toEqual(feed.map((e) => e.id));
    expect(got[1]?.event.data).toMatchObject({ entityId: contact.id, sessionsInherited: 1 });
    expect(got.some((r) => JSON.stringify(r.event.data).includes(other.id))).toBe(false);
  });

  it('retries a receiver that answered 500, with the same webhook-id, and records every attempt', async () => {
    receiver.answer(({ path, count }) => (path === '/flaky' && count === 1 ? 500 : 200));
    const endpoint = await ws.trpc.webhooks.create.mutate({ url: receiver.url('/flaky'), eventTypes: ['tag.created'] });
    await ws.tag({ name: 'Retried' });
    await ws.contact(); // not a subscribed type
    await receiver.waitFor((all) => all.filter((r) => r.path === '/flaky').length >= 2);
    const [first, second] = receiver.received.filter((r) => r.path === '/flaky');
    expect(first?.status).toBe(500);
    expect(second?.status).toBe(200);
    expect(second?.headers['webhook-id']).toBe(first?.headers['webhook-id']);
    if (second) receiver.verify(second, endpoint.secret);

    const { deliveries } = await ws.trpc.webhooks.deliveries.query({ id: endpoint.id });
    expect(deliveries).toHaveLength(1);
    const delivery = await ws.trpc.webhooks.delivery.query({ id: endpoint.id, deliveryId: deliveries[0]?.id ?? '' });
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 2, eventType: 'tag.created' });
    expect(delivery.attemptLog.map((a) => a.statusCode)).toEqual([500, 200]);
    expect(delivery.attemptLog[0]?.responseBody).toBe('receiver failed on purpose');
    expect(delivery.attemptLog[0]?.latencyMs).toBeGreaterThanOrEqual(0);
    // The success is kept on the delivery row, not in an attempt row of its own; the log shows it last.
    expect(delivery.attemptLog[1]).toMatchObject({ statusCode: 200, responseBody: 'ok', error: null });
    // An attempt's time is its start; the delivery's, when the successful response arrived.
    const success = delivery.attemptLog[1];
    expect(Date.parse(delivery.deliveredAt ?? '') - Date.parse(success?.attemptedAt ?? '')).toBe(success?.latencyMs);
    expect(Date.parse(delivery.attemptLog[0]?.attemptedAt ?? '')).toBeLessThan(Date.parse(success?.attemptedAt ?? ''));
    expect(delivery.attemptLog[1]?.latencyMs).toBeGreaterThanOrEqual(0);
    const rows = await server.db
      .fork()
      .execute<{ status_code: number }[]>(
        'select status_code from webhook_attempt where workspace_id = ? and delivery_id = ?',
        [ws.id, delivery.id],
      );
    expect(rows.map((r) => r.status_code)).toEqual([500]);
  });

  it('fails after the last attempt, retries by hand, and disables an endpoint that keeps failing', async () => {
    receiver.answer(({ path }) => (path === '/down' ? 503 : 200));
    const endpoint = await ws.trpc.webhooks.create.mutate({ url: receiver.url('/down') });
    const queued = await ws.trpc.webhooks.sendTest.mutate({ id: endpoint.id });
    await receiver.waitFor((all) => all.filter((r) => r.path === '/down').length >= 3);
    await sleep(200);
    let delivery = await ws.trpc.webhooks.delivery.query({ id: endpoint.id, deliveryId: queued.id });
    expect(delivery).toMatchObject({ status: 'failed', attempts: 3, lastStatusCode: 503 });
    expect(receiver.received.filter((r) => r.path === '/down')[0]?.event.type).toBe('webhook.test');

    // By hand: one more attempt, which the receiver now accepts.
    receiver.answer(() => 200);
    await ws.trpc.webhooks.retryDelivery.mutate({ id: endpoint.id, deliveryId: queued.id });
    await receiver.waitFor((all) => all.filter((r) => r.path === '/down').length >= 4);
    await sleep(100);
    delivery = await ws.trpc.webhooks.delivery.query({ id: endpoint.id, deliveryId: queued.id });
    expect(delivery).toMatchObject({ status: 'succeeded', attempts: 4 });
    await expect(ws.trpc.webhooks.retryDelivery.mutate({ id: endpoint.id, deliveryId: queued.id })).rejects.toThrow(
      /succeeded already/,
    );

    // Failing for longer than the disable window (1.5 s here): disabled, and it says why.
    receiver.answer(({ path }) => (path === '/down' ? 500 : 200));
    await ws.trpc.webhooks.sendTest.mutate({ id: endpoint.id });
    await sleep(1700);
    await ws.trpc.webhooks.sendTest.mutate({ id: endpoint.id });
    for (let i = 0; i < 100 && !(await ws.trpc.webhooks.get.query({ id: endpoint.id })).disabled; i++) await sleep(50);
    const disabled = await ws.trpc.webhooks.get.query({ id: endpoint.id });
    expect(disabled).toMatchObject({ disabled: true });
    expect(disabled.disabledReason).toMatch(/failing since/);
    // Re-enabled by the operator: the streak is forgotten.
    expect(await ws.trpc.webhooks.update.mutate({ id: endpoint.id, disabled: false })).toMatchObject({
      disabled: false,
      failingSince: null,
    });
  });

  it('records every outcome once whatever a receiver answers (NUL, an emoji cut in half), across workspaces', async () => {
    // Attack (session 10): a body with NUL, or cut inside a surrogate pair, failed the statement
    // recording a round of outcomes: every delivery in it stayed pending and was sent for ever.
    const emoji = `x${'😀'.repeat(1500)}`;
    receiver.answer(({ path, count }) =>
      path === '/nul'
        ? { status: 200, body: Buffer.from([0x61, 0x00, 0x62]) }
        : path === '/emoji'
          ? { status: 200, body: emoji }
          : path === '/twice' && count === 1
            ? { status: 500, body: 'first \\u0000 then \0 fails' }
            : 200,
    );
    const other = await fixture(server, 'Webhooks, other workspace');
    const endpoints = {
      nul: await other.trpc.webhooks.create.mutate({ url: receiver.url('/nul'), eventTypes: ['tag.created'] }),
      emoji: await other.trpc.webhooks.create.mutate({ url: receiver.url('/emoji'), eventTypes: ['tag.created'] }),
      fine: await ws.trpc.webhooks.create.mutate({ url: receiver.url('/fine'), eventTypes: ['tag.created'] }),
      twice: await ws.trpc.webhooks.create.mutate({ url: receiver.url('/twice'), eventTypes: ['tag.created'] }),
    };
    await Promise.all([ws.tag({ name: 'Poison A' }), other.tag({ name: 'Poison B' })]);
    const paths = ['/nul', '/emoji', '/fine', '/twice'];
    await receiver.waitFor((all) => paths.every((path) => all.some((r) => r.path === path && r.status === 200)));
    await sleep(1500); // a delivery left pending would be sent again once its lease ends
    const arrivals = (path: string) => receiver.received.filter((r) => r.path === path).length;
    expect(paths.map(arrivals)).toEqual([1, 1, 1, 2]);
    const detail = async (owner: WorkspaceFixture, id: string) => {
      const { deliveries } = await owner.trpc.webhooks.deliveries.query({ id });
      expect(deliveries).toHaveLength(1);
      return owner.trpc.webhooks.delivery.query({ id, deliveryId: deliveries[0]?.id ?? '' });
    };
    const nul = await detail(other, endpoints.nul.id);
    expect(nul).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(nul.attemptLog.map((a) => a.responseBody)).toEqual(['a\uFFFDb']);
    const cut = await detail(other, endpoints.emoji.id);
    expect(cut).toMatchObject({ status: 'succeeded', attempts: 1 });
    // 2,000 UTF-16 units would end inside an emoji: the cut keeps whole characters.
    expect(cut.attemptLog[0]?.responseBody).toBe(emoji.slice(0, 1999));
    expect(await detail(ws, endpoints.fine.id)).toMatchObject({ status: 'succeeded', attempts: 1 });
    const twice = await detail(ws, endpoints.twice.id);
    expect(twice).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(twice.attemptLog.map((a) => [a.statusCode, a.responseBody])).toEqual([
      [500, 'first \\u0000 then \uFFFD fails'],
      [200, 'ok'],
    ]);
    for (const { id } of [endpoints.nul, endpoints.emoji]) await other.trpc.webhooks.delete.mutate({ id });
    for (const { id } of [endpoints.fine, endpoints.twice]) await ws.trpc.webhooks.delete.mutate({ id });
  });

  it('signs with both secrets during a rotation’s grace period', async () => {
    const endpoint = await ws.trpc.webhooks.create.mutate({ url: receiver.url('/rotated') });
    const rotated = await ws.trpc.webhooks.rotateSecret.mutate({ id: endpoint.id, graceMinutes: 10 });
    expect(rotated.secret).not.toBe(endpoint.secret);
    expect(rotated.previousSecretExpiresAt).not.toBeNull();
    await ws.trpc.webhooks.sendTest.mutate({ id: endpoint.id });
    await receiver.waitFor((all) => all.some((r) => r.path === '/rotated'));
    const request = receiver.received.find((r) => r.path === '/rotated');
    if (!request) throw new Error('nothing received');
    expect(String(request.headers['webhook-signature']).split(' ')).toHaveLength(2);
    receiver.verify(request, rotated.secret);
    receiver.verify(request, endpoint.secret);
  });

  it('lists, updates and deletes endpoints; another workspace sees none of them', async () => {
    const endpoint = await ws.trpc.webhooks.create.mutate({ url: receiver.url('/crud'), description: 'a' });
    const updated = await ws.trpc.webhooks.update.mutate({
      id: endpoint.id,
      description: 'b',
      eventTypes: ['session.tagged'],
    });
    expect(updated).toMatchObject({ description: 'b', eventTypes: ['session.tagged'] });
    expect((await ws.trpc.webhooks.list.query({})).endpoints.map((e) => e.id)).toContain(endpoint.id);
    const other = await fixture(server, 'Other');
    await expect(other.trpc.webhooks.get.query({ id: endpoint.id })).rejects.toThrow(/not found/);
    const { response } = await ws.rest.DELETE('/webhooks/endpoints/{id}', { params: { path: { id: endpoint.id } } });
    expect(response.status).toBe(200);
    await expect(ws.trpc.webhooks.get.query({ id: endpoint.id })).rejects.toThrow(/not found/);
  });

  it('refuses URLs that resolve to loopback, private or link-local addresses unless allowed', async () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '192.168.1.1',
      '172.20.0.1',
      '169.254.169.254',
      '::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      'fd00::1',
      '::127.0.0.1',
      '64:ff9b::7f00:1',
      '2002:7f00:1::',
    ])
      expect(isPrivateAddress(address), address).toBe(true);
    for (const address of ['93.184.216.34', '2606:4700::1111']) expect(isPrivateAddress(address), address).toBe(false);
    await expect(checkWebhookUrl('http://127.0.0.1:9/x', false)).rejects.toThrow(/private/);
    await expect(checkWebhookUrl('http://localhost:9/x', false)).rejects.toThrow(/private/);
    await expect(checkWebhookUrl('http://[::1]:9/x', false)).rejects.toThrow(/private/);
    await expect(checkWebhookUrl('http://127.0.0.1:9/x', true)).resolves.toBeUndefined();
    // An address in the URL is connected to without a lookup: refused when sending too.
    expect(refusedLiteralAddress('http://127.0.0.1:9/x', false)).toMatch(/EPRIVATEADDRESS/);
    expect(refusedLiteralAddress('http://[::127.0.0.1]:9/x', false)).toMatch(/EPRIVATEADDRESS/);
    expect(refusedLiteralAddress('http://127.0.0.1:9/x', true)).toBeNull();
    expect(refusedLiteralAddress('http://93.184.216.34/x', false)).toBeNull();
    // Control characters and spaces in a URL are a 400, not a 500 (NUL) or a silently changed URL.
    for (const url of [`${receiver.url('/x')}\u0000y`, `${receiver.url('/x')}\r\nX-Evil: 1`])
      await expect(ws.trpc.webhooks.create.mutate({ url })).rejects.toThrow(/Input validation failed/);
  });
});
