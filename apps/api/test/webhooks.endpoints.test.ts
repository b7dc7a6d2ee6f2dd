import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, maxWebhookEndpointsPerWorkspace } from '@tagging/domain';
import { restCall, startTestServer, type TestServer } from '../testing/test-server.ts';
import { fixture, type WorkspaceFixture } from '../testing/workspace-fixture.ts';
import { startWebhookReceiver } from './support/webhook-receiver.ts';

/**
 * What an endpoint accepts and shows (issue 17, black-box attack findings): the URL given is the
 * URL stored or a 400 that says why; a password in a URL never appears in a response; event types
 * are kept once each. REST and tRPC share the contract.
 */
let server: TestServer;
let ws: WorkspaceFixture;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

beforeAll(async () => {
  server = await startTestServer();
  ws = await fixture(server, 'Endpoints');
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await server.close();
  await receiver.close();
});

describe('webhook endpoint input', () => {
  it('refuses any whitespace, control or invisible character in a URL, on create and update alike', async () => {
    const base = receiver.url('/x');
    const endpoint = await ws.trpc.webhooks.create.mutate({ url: base });
    for (const url of [
      `${base}\ty`,
      `${base}\ny`,
      ` ${base}`,
      `${base}\u000b`,
      `${base}\u0085`,
      `${base}\u00a0y`,
      `${base}\u200by`,
      `${base}\u0000`,
      `${base} y`,
    ]) {
      const created = await ws.raw('POST', '/api/webhooks/endpoints', { body: { url } });
      expect(created.status, JSON.stringify(url)).toBe(400);
      expect(JSON.stringify(created.body), JSON.stringify(url)).toMatch(/must not contain spaces, line breaks/);
      const updated = await ws.raw('PATCH', `/api/webhooks/endpoints/${endpoint.id}`, { body: { url } });
      expect(updated.status, JSON.stringify(url)).toBe(400);
    }
    // A lone surrogate (not Unicode: it would be stored as U+FFFD and sent as %EF%BF%BD).
    for (const url of [`${base}\ud800`, `${base}\udc00y`]) {
      const created = await ws.raw('POST', '/api/webhooks/endpoints', { body: { url } });
      expect(created.status, JSON.stringify(url)).toBe(400);
      expect(JSON.stringify(created.body)).toMatch(/unpaired surrogates/);
      const updated = await ws.raw('PATCH', `/api/webhooks/endpoints/${endpoint.id}`, { body: { url } });
      expect(updated.status, JSON.stringify(url)).toBe(400);
    }
    // Nothing was stored or changed.
    const { endpoints } = await ws.trpc.webhooks.list.query({});
    expect(endpoints.map((e) => e.url)).toEqual([base]);
  });

  it('says a URL is too long when it is', async () => {
    const long = await ws.raw('POST', '/api/webhooks/endpoints', {
      body: { url: receiver.url(`/${'a'.repeat(2001)}`) },
    });
    expect(long.status).toBe(400);
    expect(JSON.stringify(long.body)).toMatch(/at most 2000 characters/);
    expect(JSON.stringify(long.body)).not.toMatch(/http or https/);
    const ftp = await ws.raw('POST', '/api/webhooks/endpoints', { body: { url: 'ftp://example.com/x' } });
    expect(JSON.stringify(ftp.body)).toMatch(/must be an http or https URL/);
  });

  it('keeps each event type once, in the order given', async () => {
    const endpoint = await ws.trpc.webhooks.create.mutate({
      url: receiver.url('/types'),
      eventTypes: ['tag.created', 'contact.tagged', 'tag.created', 'contact.tagged'],
    });
    expect(endpoint.eventTypes).toEqual(['tag.created', 'contact.tagged']);
    const updated = await ws.trpc.webhooks.update.mutate({
      id: endpoint.id,
      eventTypes: ['session.tagged', 'tag.deleted', 'session.tagged'],
    });
    expect(updated.eventTypes).toEqual(['session.tagged', 'tag.deleted']);
  });

  it('never shows the password of a URL, to a read key or anyone, and still sends with it', async () => {
    const withPassword = receiver.url('/basic').replace('http://', 'http://hooks:secretpw@');
    const created = await ws.trpc.webhooks.create.mutate({ url: withPassword });
    const shown = withPassword.replace(':secretpw@', ':***@');
    expect(created.url).toBe(shown);
    const reader = (await createApiKey(server.db.fork(), ws.id, { name: 'reader', scope: 'read' })).secret;
    const listed = await restCall(server, 'GET', '/api/webhooks/endpoints', { apiKey: reader });
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain('secretpw');
    expect(JSON.stringify(listed.body)).toContain(shown);
    const read = await restCall(server, 'GET', `/api/webhooks/endpoints/${created.id}`, { apiKey: reader });
    expect(read.body).toMatchObject({ url: shown });
    // Sent back as read, the masked password would replace the real one: refused.
    const echoed = await ws.raw('PATCH', `/api/webhooks/endpoints/${created.id}`, { body: { url: shown } });
    expect(echoed.status).toBe(400);
    // The receiver gets the credentials it asked for.
    await ws.trpc.webhooks.sendTest.mutate({ id: created.id });
    await receiver.waitFor((all) => all.some((r) => r.path === '/basic'));
    const request = receiver.received.find((r) => r.path === '/basic');
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from('hooks:secretpw').toString('base64')}`);
  });

  it('refuses a workspace more endpoints than its cap (409), even when created at once', async () => {
    const full = await fixture(server, 'Many endpoints');
    const results = await Promise.all(
      Array.from({ length: maxWebhookEndpointsPerWorkspace + 5 }, (_, i) =>
        full.raw('POST', '/api/webhooks/endpoints', { body: { url: receiver.url(`/many-${i}`) } }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(maxWebhookEndpointsPerWorkspace);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused.map((r) => r.status)).toEqual([409, 409, 409, 409, 409]);
    expect(JSON.stringify(refused[0]?.body)).toMatch(/the most it may have/);
    expect((await full.trpc.webhooks.list.query({})).endpoints).toHaveLength(maxWebhookEndpointsPerWorkspace);
  });

  it('refuses a test event to a disabled endpoint (409) and queues nothing for it', async () => {
    const endpoint = await ws.trpc.webhooks.create.mutate({ url: receiver.url('/test-disabled') });
    await ws.trpc.webhooks.update.mutate({ id: endpoint.id, disabled: true });
    const refused = await ws.raw('POST', `/api/webhooks/endpoints/${endpoint.id}/test`);
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toMatch(/is disabled: enable it to send a test event/);
    expect((await ws.trpc.webhooks.deliveries.query({ id: endpoint.id })).deliveries).toEqual([]);
    await ws.trpc.webhooks.update.mutate({ id: endpoint.id, disabled: false });
    const sent = await ws.raw('POST', `/api/webhooks/endpoints/${endpoint.id}/test`);
    expect(sent.status).toBe(202);
  });
});
