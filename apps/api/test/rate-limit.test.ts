import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restCall, startTestServer, type TestServer, type TestWorkspace } from '../testing/test-server.ts';

let server: TestServer;
let a: TestWorkspace;
let b: TestWorkspace;

beforeAll(async () => {
  // One token every 4 s: slow requests on a loaded machine cannot refill the bucket mid-test.
  server = await startTestServer({ rateLimit: { perSecond: 0.25, burst: 4 } });
  a = await server.newWorkspace('Busy');
  b = await server.newWorkspace('Quiet');
});
afterAll(() => server.close());

describe('rate limit per API key', () => {
  it('answers 429 with Retry-After past the burst, per key, in each dialect', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await restCall(server, 'GET', '/api/tags', { apiKey: a.apiKey })).status);
    expect(statuses.slice(0, 4)).toEqual([200, 200, 200, 200]);
    const limited = await restCall(server, 'GET', '/api/tags', { apiKey: a.apiKey });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const zapini = await restCall(server, 'GET', '/api/v1/tags', { apiKey: a.apiKey });
    expect(zapini).toMatchObject({ status: 429, body: { success: false } });
    // Another key is not affected.
    expect((await restCall(server, 'GET', '/api/tags', { apiKey: b.apiKey })).status).toBe(200);
    // Tokens come back with time.
    await new Promise((resolve) => setTimeout(resolve, 4100));
    expect((await restCall(server, 'GET', '/api/tags', { apiKey: a.apiKey })).status).toBe(200);
  });
});
