import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restCall, startTestServer, type TestServer } from '../testing/test-server.ts';
import { fixture, type WorkspaceFixture } from '../testing/workspace-fixture.ts';

/**
 * A body's field has the type its contract says, on REST and tRPC alike (DECISIONS.md, "No
 * coercion of inputs"). The REST adapter's coercion read `{"disabled":"false"}` as true (attack
 * of issue 17, session 15) and a tag's `"order":""` as 0. Each number and boolean field of a
 * write's body gets values of the wrong type, and each must be a 400 that changes nothing.
 */
let server: TestServer;
let ws: WorkspaceFixture;

beforeAll(async () => {
  server = await startTestServer();
  ws = await fixture(server, 'Input types');
});
afterAll(() => server.close());

const notBooleans: unknown[] = ['false', 'true', '0', '1', '', 0, 1, null, [], {}];
const notIntegers: unknown[] = ['5', '', ' ', '0x10', null, true, false, [], {}, 1.5];

describe('number and boolean fields of a body', () => {
  it('webhook endpoint `disabled`: a JSON boolean only (REST and tRPC)', async () => {
    const endpoint = await ws.trpc.webhooks.create.mutate({ url: 'https://example.com/hook' });
    for (const disabled of notBooleans) {
      const answer = await ws.raw('PATCH', `/api/webhooks/endpoints/${endpoint.id}`, { body: { disabled } });
      expect(answer.status, JSON.stringify(disabled)).toBe(400);
      const trpc = await restCall(server, 'POST', '/trpc/webhooks.update', {
        apiKey: ws.apiKey,
        body: { id: endpoint.id, disabled },
      });
      expect(trpc.status, `tRPC ${JSON.stringify(disabled)}`).toBe(400);
    }
    expect((await ws.trpc.webhooks.get.query({ id: endpoint.id })).disabled).toBe(false);
    const off = await ws.raw('PATCH', `/api/webhooks/endpoints/${endpoint.id}`, { body: { disabled: true } });
    expect([off.status, (off.body as { disabled: boolean }).disabled]).toEqual([200, true]);
    const on = await ws.raw('PATCH', `/api/webhooks/endpoints/${endpoint.id}`, { body: { disabled: false } });
    expect([on.status, (on.body as { disabled: boolean }).disabled]).toEqual([200, false]);
  });

  it('webhook `graceMinutes`: an integer only', async () => {
    const endpoint = await ws.trpc.webhooks.create.mutate({ url: 'https://example.com/grace' });
    for (const graceMinutes of notIntegers) {
      const answer = await ws.raw('POST', `/api/webhooks/endpoints/${endpoint.id}/rotate-secret`, {
        body: { graceMinutes },
      });
      expect(answer.status, JSON.stringify(graceMinutes)).toBe(400);
    }
  });

  it('tag `order`, on create and update: an integer only', async () => {
    const tag = await ws.trpc.tags.create.mutate({ name: 'ordered', order: 7 });
    for (const order of notIntegers) {
      const created = await ws.raw('POST', '/api/tags', { body: { name: `order ${JSON.stringify(order)}`, order } });
      expect(created.status, JSON.stringify(order)).toBe(400);
      const updated = await ws.raw('PUT', `/api/tags/${tag.id}`, { body: { order } });
      expect(updated.status, JSON.stringify(order)).toBe(400);
    }
    const { tags } = await ws.trpc.tags.list.query({});
    expect(tags.map((t) => [t.name, t.order])).toEqual([['ordered', 7]]);
  });

  it('export `bom`: a JSON boolean only', async () => {
    for (const bom of notBooleans) {
      const answer = await ws.raw('POST', '/api/exports', { body: { format: 'csv', bom } });
      expect(answer.status, JSON.stringify(bom)).toBe(400);
    }
    expect((await ws.trpc.exports.list.query({})).exports).toEqual([]);
  });
});
