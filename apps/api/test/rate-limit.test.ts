import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restCall, startTestServer, type TestServer, type TestWorkspace } from '../testing/test-server.ts';

let server: TestServer;
let a: TestWorkspace;
let b: TestWorkspace;
let c: TestWorkspace;

// A window long enough that slow requests on a loaded machine stay inside it.
const windowMs = 8000;

beforeAll(async () => {
  server = await startTestServer({ rateLimit: { max: 4, timeWindowMs: windowMs } });
  a = await server.newWorkspace('Busy');
  b = await server.newWorkspace('Quiet');
  c = await server.newWorkspace('Every dialect');
});
afterAll(() => server.close());

const limitHeaders = (headers: Headers) => ({
  limit: headers.get('ratelimit-limit'),
  remaining: headers.get('ratelimit-remaining'),
  reset: Number(headers.get('ratelimit-reset')),
});

describe('rate limit per API key (@fastify/rate-limit)', () => {
  it('sends the standard headers on every response and 429 with Retry-After past the limit, per key', async () => {
    const responses = [];
    for (let i = 0; i < 4; i++) responses.push(await restCall(server, 'GET', '/api/tags', { apiKey: a.apiKey }));
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200]);
    expect(responses.map((response) => limitHeaders(response.headers).remaining)).toEqual(['3', '2', '1', '0']);
    for (const response of responses) {
      expect(response.headers.get('ratelimit-limit')).toBe('4');
      expect(limitHeaders(response.headers).reset).toBeGreaterThan(0);
      expect(limitHeaders(response.headers).reset).toBeLessThanOrEqual(windowMs / 1000);
    }

    const limited = await restCall(server, 'GET', '/api/tags', { apiKey: a.apiKey });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('retry in') });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(windowMs / 1000);
    expect(limitHeaders(limited.headers)).toMatchObject({ limit: '4', remaining: '0' });

    // Another key is not affected.
    const other = await restCall(server, 'GET', '/api/tags', { apiKey: b.apiKey });
    expect(other.status).toBe(200);
    expect(other.headers.get('ratelimit-remaining')).toBe('3');

    // A request without a key is refused for that (401), not counted; the server's own routes are not limited.
    expect((await restCall(server, 'GET', '/api/tags')).status).toBe(401);
    const health = await restCall(server, 'GET', '/healthz');
    expect(health.status).toBe(200);
    expect(health.headers.get('ratelimit-limit')).toBeNull();

    // The window ends when Retry-After says.
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 200));
    expect((await restCall(server, 'GET', '/api/tags', { apiKey: a.apiKey })).status).toBe(200);
  }, 30_000);

  it('answers 429 in each dialect’s error shape (REST, Zapini, tRPC, GraphQL)', async () => {
    const key = c.apiKey;
    for (let i = 0; i < 4; i++) expect((await restCall(server, 'GET', '/api/tags', { apiKey: key })).status).toBe(200);

    const rest = await restCall(server, 'GET', '/api/tags', { apiKey: key });
    expect(rest).toMatchObject({ status: 429, body: { code: 'RATE_LIMITED' } });

    const zapini = await restCall(server, 'GET', '/api/v1/tags', { apiKey: key });
    expect(zapini).toMatchObject({
      status: 429,
      body: { success: false, message: expect.stringContaining('rate limit') },
    });

    const trpc = await restCall(server, 'GET', '/trpc/tags.list', { apiKey: key });
    expect(trpc).toMatchObject({
      status: 429,
      body: { error: { data: { errorCode: 'RATE_LIMITED', httpStatus: 429, code: 'TOO_MANY_REQUESTS' } } },
    });

    const graphql = await restCall(server, 'POST', '/core/gq', {
      body: { query: `query { tags(input: { workspaceId: ${c.id} }) { nodes { id } } }` },
      headers: { authorization: key },
    });
    expect(graphql).toMatchObject({ status: 429, body: { errors: [{ extensions: { code: 'RATE_LIMITED' } }] } });
    expect(graphql.body).not.toHaveProperty('data');

    for (const response of [rest, zapini, trpc, graphql]) {
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(response.headers.get('ratelimit-remaining')).toBe('0');
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    }
  });
});
