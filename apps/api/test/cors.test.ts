import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../src/env.ts';
import { restCall, startTestServer, type TestServer, type TestWorkspace } from '../testing/test-server.ts';
import { openRawConnection } from './support/raw-connection.ts';

/**
 * CORS on every surface, as a browser's requests reach the server (the real browser is in
 * cors.browser.test.ts): preflights answered before the key or the body is required, the headers
 * the SDK and the dialects send allowed, the ones a page must read exposed, and an origin not on
 * the operator's list given no CORS header at all.
 */
const allowedOrigin = 'http://app.example.test:8080';
const otherOrigin = 'http://evil.example.test';

let server: TestServer;
let closedServer: TestServer;
let workspace: TestWorkspace;

beforeAll(async () => {
  [server, closedServer] = await Promise.all([
    startTestServer({ corsOrigins: [allowedOrigin, 'https://other.example.test'], worker: false }),
    startTestServer({ worker: false }),
  ]);
  workspace = await server.newWorkspace('Cors');
});
afterAll(async () => {
  await Promise.all([server?.close(), closedServer?.close()]);
});

const preflight = (target: TestServer, path: string, origin: string, method: string, headers: string) =>
  fetch(`${target.url}${path}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });

const listOf = (header: string | null) => (header ?? '').split(',').map((item) => item.trim().toLowerCase());

const corsHeaderNames = (headers: Headers) => [...headers.keys()].filter((name) => name.startsWith('access-control-'));

/** What the SDK's tRPC and REST clients and the dialects send, as a browser lists them. */
const requestedHeaders = 'authorization,content-type,if-match,idempotency-key,x-request-id,trpc-accept';

describe('a preflight from an allowed origin', () => {
  it.each([
    ['REST', '/api/tags', 'POST'],
    ['REST, a path with ids', '/api/contacts/42/tags/7', 'DELETE'],
    ['Zapini', '/api/v1/conversations/0b5b8f0e-1d8e-4bde-9a0e-4a2f7c1e9d10/tags', 'PUT'],
    ['tRPC, a batch', '/trpc/tags.list,contacts.list?batch=1', 'GET'],
    ['tRPC, a mutation', '/trpc/tags.create?batch=1', 'POST'],
    ['GraphQL', '/core/gq', 'POST'],
    ['the OpenAPI document', '/openapi.json', 'GET'],
  ])('%s (%s %s) is answered 204 with what the browser asked for', async (_surface, path, method) => {
    const response = await preflight(server, path, allowedOrigin, method, requestedHeaders);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
    expect(listOf(response.headers.get('access-control-allow-methods'))).toContain(method.toLowerCase());
    expect(listOf(response.headers.get('access-control-allow-headers'))).toEqual(
      expect.arrayContaining(requestedHeaders.split(',')),
    );
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(Number(response.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    expect(listOf(response.headers.get('vary'))).toContain('origin');
  });
});

describe('a preflight with a body (browsers send none)', () => {
  it('is answered 204 and its connection closed, the body never read', async () => {
    const connection = await openRawConnection(server.url);
    connection.send(
      [
        'OPTIONS /trpc/tags.list HTTP/1.1',
        'Host: x',
        `Origin: ${allowedOrigin}`,
        'Access-Control-Request-Method: GET',
        'Content-Length: 60000',
      ],
      '{"a',
    );
    await connection.closed;
    expect(connection.received()).toMatch(/^HTTP\/1\.1 204 /);
    expect(connection.received().toLowerCase()).toContain('connection: close');
  });
});

describe('a request from an allowed origin', () => {
  const exposed = [
    'etag',
    'location',
    'retry-after',
    'ratelimit-limit',
    'ratelimit-remaining',
    'x-ratelimit-limit',
    'idempotent-replayed',
  ];

  it('REST: the answer names the origin and exposes ETag, Location and the rate-limit headers', async () => {
    const response = await restCall(server, 'GET', '/api/tags', {
      apiKey: workspace.apiKey,
      headers: { origin: allowedOrigin },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
    expect(listOf(response.headers.get('access-control-expose-headers'))).toEqual(expect.arrayContaining(exposed));
    expect(listOf(response.headers.get('vary'))).toContain('origin');
  });

  it('tRPC and GraphQL answers name it too', async () => {
    const trpc = await fetch(`${server.url}/trpc/tags.create`, {
      method: 'POST',
      headers: {
        origin: allowedOrigin,
        authorization: `Bearer ${workspace.apiKey}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ name: 'From a browser' }),
    });
    expect(trpc.status).toBe(200);
    expect(trpc.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
    const graphql = await fetch(`${server.url}/core/gq`, {
      method: 'POST',
      headers: { origin: allowedOrigin, authorization: workspace.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(graphql.status).toBe(200);
    expect(graphql.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
  });

  it('errors name it, so the page can read why (a missing key, in each dialect)', async () => {
    for (const path of ['/api/tags', '/api/v1/tags', '/trpc/tags.list']) {
      const response = await restCall(server, 'GET', path, { headers: { origin: allowedOrigin } });
      expect(response.status).toBe(401);
      expect(response.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
    }
  });
});

describe('a refusal before any procedure runs', () => {
  it('a 429 names the origin and lets the page read Retry-After; preflights are never counted', async () => {
    const limited = await startTestServer({
      corsOrigins: [allowedOrigin],
      rateLimit: { max: 1, timeWindowMs: 60_000 },
      worker: false,
    });
    try {
      const { apiKey } = await limited.newWorkspace('Limited');
      for (let i = 0; i < 3; i++)
        expect((await preflight(limited, '/api/tags', allowedOrigin, 'GET', 'authorization')).status).toBe(204);
      const call = () => restCall(limited, 'GET', '/api/tags', { apiKey, headers: { origin: allowedOrigin } });
      expect((await call()).status).toBe(200);
      const refused = await call();
      expect(refused.status).toBe(429);
      expect(refused.headers.get('access-control-allow-origin')).toBe(allowedOrigin);
      expect(listOf(refused.headers.get('access-control-expose-headers'))).toContain('retry-after');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});

describe('an origin not on the list', () => {
  it('gets no CORS header on a preflight, which then goes on as a request without a key', async () => {
    for (const path of ['/api/tags', '/trpc/tags.list', '/core/gq']) {
      const response = await preflight(server, path, otherOrigin, 'POST', requestedHeaders);
      expect(corsHeaderNames(response.headers)).toEqual([]);
      expect(response.status).toBe(401);
    }
  });

  it('gets no CORS header on a request, even one the server answers (the browser refuses it)', async () => {
    const response = await restCall(server, 'GET', '/api/tags', {
      apiKey: workspace.apiKey,
      headers: { origin: otherOrigin },
    });
    expect(response.status).toBe(200);
    expect(corsHeaderNames(response.headers)).toEqual([]);
    // A server-to-server call sends no Origin: nothing changes for it.
    const plain = await restCall(server, 'GET', '/api/tags', { apiKey: workspace.apiKey });
    expect(corsHeaderNames(plain.headers)).toEqual([]);
  });

  it('and with no origins configured (the default) no origin gets any', async () => {
    const response = await preflight(closedServer, '/api/tags', allowedOrigin, 'GET', 'authorization');
    expect(corsHeaderNames(response.headers)).toEqual([]);
    const request = await restCall(closedServer, 'GET', '/openapi.json', { headers: { origin: allowedOrigin } });
    expect(request.status).toBe(200);
    expect(corsHeaderNames(request.headers)).toEqual([]);
  });
});

describe('CORS_ORIGINS', () => {
  it('is none by default, a comma-separated list of origins otherwise, normalized as browsers send them', () => {
    expect(readEnv({}).CORS_ORIGINS).toEqual([]);
    expect(readEnv({ CORS_ORIGINS: ' https://App.Example.com/ , http://localhost:5173,' }).CORS_ORIGINS).toEqual([
      'https://app.example.com',
      'http://localhost:5173',
    ]);
    expect(readEnv({ CORS_ORIGINS: 'https://app.example.com:443' }).CORS_ORIGINS).toEqual(['https://app.example.com']);
    expect(readEnv({ CORS_ORIGINS: '*' }).CORS_ORIGINS).toEqual(['*']);
  });

  it('refuses what is not an origin', () => {
    expect(() => readEnv({ CORS_ORIGINS: 'https://app.example.com/app' })).toThrow(/CORS_ORIGINS/);
    expect(() => readEnv({ CORS_ORIGINS: 'app.example.com' })).toThrow(/CORS_ORIGINS/);
    expect(() => readEnv({ CORS_ORIGINS: 'ftp://app.example.com' })).toThrow(/CORS_ORIGINS/);
  });
});
