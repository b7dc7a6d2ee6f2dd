import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackgroundWorker } from '@tagging/domain';
import { readEnv } from '../src/env.ts';
import { buildServer } from '../src/server.ts';
import { restCall, startTestServer, type TestServer } from '../testing/test-server.ts';
import { fixture, type WorkspaceFixture } from '../testing/workspace-fixture.ts';

/**
 * `GET /metrics` on the real server: requests counted by route pattern (never by URL), errors by
 * route, the job queues' depth and age, the database pool, the process.
 */
let server: TestServer;
let ws: WorkspaceFixture;
let tagId: string;
let contactId: string;

const scrape = async () => {
  const response = await fetch(`${server.url}/metrics`);
  return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
};

/** The value of one sample, e.g. `sample(text, 'x_total', { route: '/a' })`; undefined when absent. */
const sample = (text: string, name: string, labels: Record<string, string> = {}): number | undefined => {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = line.slice(name.length).split(' ')[0] ?? '';
    if (Object.entries(labels).every(([key, value]) => labelText.includes(`${key}="${value}"`)))
      return Number(line.split(' ').at(-1));
  }
  return undefined;
};

const requestCount = (text: string, method: string, route: string, status: number) =>
  sample(text, 'http_request_duration_seconds_count', { method, route, status_code: String(status) });

beforeAll(async () => {
  // No worker and no synchronous fan-out: a contact's tag leaves a job in the queue.
  server = await startTestServer({ worker: false, propagation: { syncFanOutLimit: 0 } });
  ws = await fixture(server, 'metrics');
  tagId = (await ws.tag({ name: 'metered' })).id;
  const contact = await ws.contact({ name: 'metered' });
  contactId = contact.id;
  await ws.sessionOf(contact, { name: 'metered' });
});
afterAll(() => server.close());

describe('GET /metrics', () => {
  it('counts requests by route pattern, method and status, never by URL', async () => {
    const unknownTag = 'wtag_01a20800-0000-7000-8000-000000000000';
    const byId = (id: string) => ({ params: { path: { id } } });
    expect((await ws.rest.GET('/tags/{id}', byId(tagId))).response.status).toBe(200);
    expect((await ws.rest.GET('/tags/{id}', byId(unknownTag))).response.status).toBe(404);
    expect((await ws.rest.PATCH('/tags/bulk', { body: { patches: [{ id: tagId, order: 3 }] } })).response.status).toBe(
      200,
    );
    // The tRPC URL forms are sent raw: the typed client always batches, and the labels of both forms are checked.
    const input = encodeURIComponent('{}');
    expect((await ws.raw('GET', `/trpc/tags.list?input=${input}`)).status).toBe(200);
    const batchInput = encodeURIComponent('{"0":{},"1":{}}');
    const batch = await ws.raw('GET', `/trpc/tags.list,tags.list?batch=1&input=${batchInput}`);
    expect(batch.status).toBe(200);
    const graphQL = await restCall(server, 'POST', '/core/gq', {
      headers: { authorization: ws.apiKey },
      body: { query: `{ tags(input: { workspaceId: ${ws.id} }) { nodes { id } } }` },
    });
    expect(graphQL.status).toBe(200);
    expect((await restCall(server, 'GET', `/nowhere/${contactId}`)).status).toBe(404);
    expect((await restCall(server, 'GET', '/api/tags')).status).toBe(401);

    const { status, contentType, text } = await scrape();
    expect(status).toBe(200);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(requestCount(text, 'GET', '/api/tags/{id}', 200)).toBe(1);
    expect(requestCount(text, 'GET', '/api/tags/{id}', 404)).toBe(1);
    expect(requestCount(text, 'PATCH', '/api/tags/bulk', 200)).toBe(1);
    expect(requestCount(text, 'GET', '/api/tags', 401)).toBe(1);
    expect(requestCount(text, 'GET', '/trpc/tags.list', 200)).toBe(1);
    expect(requestCount(text, 'GET', '/trpc/(batch)', 200)).toBe(1);
    expect(requestCount(text, 'POST', '/core/gq', 200)).toBe(1);
    expect(requestCount(text, 'GET', 'unmatched', 404)).toBe(1);
    // The histogram has its buckets and sum, per series.
    expect(sample(text, 'http_request_duration_seconds_bucket', { route: '/api/tags/{id}', le: '+Inf' })).toBe(1);
    expect(sample(text, 'http_request_duration_seconds_sum', { route: '/api/tags/{id}' })).toBeGreaterThan(0);
    // No id, no raw path ever becomes a label.
    for (const raw of [tagId, unknownTag, contactId, 'nowhere']) expect(text).not.toContain(raw);
  });

  it('counts errors by route and status', async () => {
    const { text } = await scrape();
    const errors = (route: string, status: number) =>
      sample(text, 'http_request_errors_total', { route, status_code: String(status) });
    expect(errors('/api/tags/{id}', 404)).toBe(1);
    expect(errors('/api/tags', 401)).toBe(1);
    expect(errors('unmatched', 404)).toBe(1);
    expect(errors('/api/tags/{id}', 200)).toBeUndefined();
  });

  it('reports the depth and age of the job queues, read on scrape', async () => {
    const tagged = await ws.rest.POST('/entity-tags/contacts/{contactId}/tags', {
      params: { path: { contactId }, query: { workspaceId: ws.id } },
      body: { tagId },
    });
    expect(tagged.response.status).toBeLessThan(300);
    expect((await ws.rest.POST('/exports', { body: {} })).response.status).toBeLessThan(300);
    // Make both jobs an hour old, so that the age is known without waiting.
    for (const table of ['propagation_job', 'contact_export'])
      await server.db.fork().execute(`update ${table} set created_at = now() - interval '1 hour'`);

    const { text } = await scrape();
    for (const queue of ['propagation', 'export']) {
      expect(sample(text, 'tagging_jobs_pending', { queue })).toBe(1);
      const age = sample(text, 'tagging_jobs_oldest_pending_age_seconds', { queue }) ?? 0;
      expect(age).toBeGreaterThanOrEqual(3600);
      expect(age).toBeLessThan(2 * 3600);
    }
    expect(sample(text, 'tagging_db_up')).toBe(1);

    // Once the worker has run the propagation, its queue is empty again.
    const worker = startBackgroundWorker(server.db, { idleMs: 20 });
    await server.waitForJobs();
    await worker.stop();
    const after = (await scrape()).text;
    expect(sample(after, 'tagging_jobs_pending', { queue: 'propagation' })).toBe(0);
    expect(sample(after, 'tagging_jobs_oldest_pending_age_seconds', { queue: 'propagation' })).toBe(0);
  });

  it('reports the connection pool on a PostgreSQL server (PGlite has none)', async () => {
    const { text } = await scrape();
    if (server.db.target.kind === 'postgres') {
      const max = sample(text, 'tagging_db_pool_max_connections') ?? 0;
      const inUse = sample(text, 'tagging_db_pool_connections', { state: 'in_use' }) ?? -1;
      const idle = sample(text, 'tagging_db_pool_connections', { state: 'idle' }) ?? -1;
      expect(max).toBeGreaterThan(0);
      expect(inUse).toBeGreaterThanOrEqual(0);
      expect(idle).toBeGreaterThanOrEqual(0);
      expect(inUse + idle).toBeLessThanOrEqual(max);
      expect(sample(text, 'tagging_db_pool_waiting_requests')).toBeGreaterThanOrEqual(0);
    } else {
      expect(sample(text, 'tagging_db_pool_max_connections')).toBeUndefined();
    }
  });

  it('includes the process metrics', async () => {
    const { text } = await scrape();
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });
});

describe('METRICS_ENABLED', () => {
  it('defaults to on and can be turned off', () => {
    expect(readEnv({}).METRICS_ENABLED).toBe(true);
    expect(readEnv({ METRICS_ENABLED: 'false' }).METRICS_ENABLED).toBe(false);
    expect(() => readEnv({ METRICS_ENABLED: 'maybe' })).toThrow(/METRICS_ENABLED/);
  });

  it('off, the server has no /metrics route', async () => {
    const app = await buildServer({ db: server.db, metrics: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = app.server.address() as AddressInfo;
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
