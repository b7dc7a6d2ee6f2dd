import http from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { restCall, startTestServer } from '../testing/test-server.ts';
import { buildFuzzWorld } from './support/fuzz-fixtures.ts';
import { judge, send, type Dialect, type Exchange, type FuzzRequest } from './support/fuzz-oracle.ts';

/**
 * Every response of every surface is in its dialect's error shape, also for what no route
 * answers: unknown paths and methods, URLs and headers over the server's limits (431), path
 * segments over the router's (414). None repeats the request. Query keys named like Object's
 * own properties are ordinary keys.
 */
const server = await startTestServer({ worker: false });
afterAll(() => server.close());
const world = await buildFuzzWorld(server);
const { port } = new URL(server.url);

const surfaces: { dialect: Dialect; base: string; key: string }[] = [
  { dialect: 'rest', base: '/api', key: `Bearer ${world.own.apiKey}` },
  { dialect: 'zapini', base: '/api/v1', key: `Bearer ${world.own.apiKey}` },
  { dialect: 'trpc', base: '/trpc', key: `Bearer ${world.own.apiKey}` },
  { dialect: 'graphql', base: '/core/gq', key: world.own.apiKey },
];

/**
 * Any method (fetch refuses TRACE), any header size; the answer as the fuzz oracle judges it,
 * with its `Allow` header.
 */
function rawRequest(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Exchange & { allow: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: Number(port), method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type'] ?? ''),
          text,
          allow: res.headers.allow,
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Holds the answer to the oracle (a 4xx in the surface's shape) and checks it repeats nothing of `secret`. */
function expectRefusal(dialect: Dialect, label: string, exchange: Exchange, status: number, secret: string) {
  const said = `${label}: ${exchange.status} ${exchange.text.slice(0, 300)}`;
  const request: FuzzRequest = { dialect, label, method: 'GET', path: '/', headers: {} };
  expect(judge(request, exchange), said).toEqual({ outcome: 'rejected' });
  expect(exchange.status, said).toBe(status);
  expect(exchange.text, said).not.toContain(secret);
}

describe('what no route answers', () => {
  it('unknown paths, in each surface’s shape, without the path', async () => {
    for (const { dialect, base, key } of surfaces) {
      const path = `${base}/no-such-thing-xyz`;
      const exchange = await rawRequest('GET', path, { authorization: key });
      expectRefusal(dialect, `GET ${path}`, exchange, 404, 'no-such-thing-xyz');
    }
    const outside = await rawRequest('GET', '/no-such-thing-xyz', {});
    expectRefusal('rest', 'GET /no-such-thing-xyz', outside, 404, 'no-such-thing-xyz');
  });

  it('methods no route takes (OPTIONS, TRACE, PUT on GraphQL), in each surface’s shape', async () => {
    const cases: [Dialect, string, string, string][] = [
      ['rest', 'OPTIONS', '/api/tags', `Bearer ${world.own.apiKey}`],
      ['rest', 'TRACE', '/api/tags', `Bearer ${world.own.apiKey}`],
      ['zapini', 'OPTIONS', '/api/v1/tags', `Bearer ${world.own.apiKey}`],
      ['zapini', 'TRACE', '/api/v1/tags', `Bearer ${world.own.apiKey}`],
      ['trpc', 'TRACE', '/trpc/tags.list', `Bearer ${world.own.apiKey}`],
      ['graphql', 'PUT', '/core/gq', world.own.apiKey],
      ['graphql', 'TRACE', '/core/gq', world.own.apiKey],
    ];
    for (const [dialect, method, path, key] of cases) {
      const exchange = await rawRequest(method, path, { authorization: key });
      // tRPC says 405 for a method it does not take, as it does for a query sent by POST.
      expectRefusal(dialect, `${method} ${path}`, exchange, dialect === 'trpc' ? 405 : 404, method);
    }
  });

  it('tRPC: a method the path does not take is a 405 METHOD_NOT_ALLOWED that says which it takes (Allow); 401 first without a key', async () => {
    const authorization = `Bearer ${world.own.apiKey}`;
    const json = { authorization, 'content-type': 'application/json' };
    const cases: [string, string, Record<string, string>, string | undefined, string][] = [
      ['POST', '/trpc/tags.list', json, '{}', 'GET'],
      ['GET', `/trpc/tags.create?input=${encodeURIComponent('{"name":"x"}')}`, { authorization }, undefined, 'POST'],
      ['GET', '/trpc/tags.create,tags.create?batch=1&input=%7B%7D', { authorization }, undefined, 'POST'],
      ['DELETE', '/trpc/tags.list', { authorization }, undefined, 'GET, HEAD, POST'],
      ['PUT', '/trpc/tags.create', json, '{}', 'GET, HEAD, POST'],
      ['PATCH', '/trpc/tags.create', json, '{}', 'GET, HEAD, POST'],
      ['OPTIONS', '/trpc/tags.list', { authorization }, undefined, 'GET, HEAD, POST'],
      ['TRACE', '/trpc/tags.list', { authorization }, undefined, 'GET, HEAD, POST'],
      // Methods no route takes (the not-found handler), and `/trpc` itself.
      ['PROPFIND', '/trpc/tags.list', { authorization }, undefined, 'GET, HEAD, POST'],
      ['SEARCH', '/trpc/no.such.procedure', { authorization }, undefined, 'GET, HEAD, POST'],
      ['PUT', '/trpc', json, '{}', 'GET, HEAD, POST'],
      // A subscription is opened by GET (tRPC would answer 200 and put its 405 in the stream).
      ['POST', '/trpc/events.subscribe', json, '{}', 'GET'],
    ];
    for (const [method, path, headers, body, allow] of cases) {
      const exchange = await rawRequest(method, path, headers, body);
      const said = `${method} ${path}: ${exchange.status} ${exchange.text.slice(0, 300)}`;
      expect(exchange.status, said).toBe(405);
      expect(exchange.allow, said).toBe(allow);
      const answer = JSON.parse(exchange.text) as unknown;
      const error = (Array.isArray(answer) ? answer[0] : answer) as { error: { code: number; data: object } };
      expect(error.error.data, said).toMatchObject({
        code: 'METHOD_NOT_SUPPORTED',
        httpStatus: 405,
        errorCode: 'METHOD_NOT_ALLOWED',
      });
      expect(error.error.code, said).toBe(-32005);
    }
    for (const method of ['PUT', 'PROPFIND'])
      expect((await rawRequest(method, '/trpc/tags.list', {})).status, method).toBe(401);
    // Nothing was created by a mutation sent with the wrong method.
    const tags = await restCall(server, 'GET', '/api/tags', { apiKey: world.own.apiKey });
    expect(tags.status).toBe(200);
    expect(JSON.stringify(tags.body)).toContain('"name":"VIP"');
    expect(JSON.stringify(tags.body)).not.toContain('"name":"x"');
  });

  it('a URL or headers over the server’s limit: 431 in each surface’s shape', async () => {
    const long = 'q'.repeat(20_000);
    for (const { dialect, base, key } of surfaces) {
      const url = await rawRequest('GET', `${base}/tags?x=${long}`, { authorization: key });
      expectRefusal(dialect, `a long URL on ${base}`, url, 431, 'qqqq');
      const header = await rawRequest('GET', `${base}/tags`, { authorization: key, 'x-big': long });
      expectRefusal(dialect, `a long header on ${base}`, header, 431, 'qqqq');
    }
  });

  it('a path segment over the router’s limit: tRPC 414 in its shape, REST a 404 (no route takes it); never the path', async () => {
    const segment = 'z'.repeat(5_000);
    const trpc = await rawRequest('GET', `/trpc/${segment}`, { authorization: `Bearer ${world.own.apiKey}` });
    expectRefusal('trpc', 'GET /trpc/zzz…', trpc, 414, 'zzzz');
    expect(trpc.text).toMatch(/URI_TOO_LONG/);
    const cases: [Dialect, string][] = [
      ['rest', `/api/tags/${segment}`],
      ['zapini', `/api/v1/tags/${segment}`],
    ];
    for (const [dialect, path] of cases) {
      const exchange = await rawRequest('GET', path, { authorization: `Bearer ${world.own.apiKey}` });
      // A REST route's parameter is at most the router's `maxParamLength`: a longer one matches no route.
      expectRefusal(dialect, `GET ${path.slice(0, 40)}…`, exchange, 404, 'zzzz');
    }
  });
});

describe('query keys named like Object’s properties', () => {
  const keys = [
    'constructor',
    'toString',
    '__proto__',
    'hasOwnProperty',
    'valueOf',
    '__proto__[polluted]',
    'constructor[prototype][polluted]',
  ];
  const query = keys.map((key) => `${encodeURIComponent(key)}=1`).join('&');
  const ordinary = keys.map((_key, index) => `ordinary${index}=1`).join('&');

  it('are answered on every read as any other unknown query parameter is', async () => {
    const reads = [
      '/api/tags',
      '/api/contacts',
      '/api/sessions',
      '/api/v1/tags',
      `/api/tags/${world.pools.tag[0]}`,
      `/api/entity-tags/contacts/${world.pools.contact[0]}/tags?workspaceId=${world.own.id}`,
    ];
    for (const path of reads) {
      const join = path.includes('?') ? '&' : '?';
      const plain = await restCall(server, 'GET', `${path}${join}${ordinary}`, { apiKey: world.own.apiKey });
      const withKeys = await restCall(server, 'GET', `${path}${path.includes('?') ? '&' : '?'}${query}`, {
        apiKey: world.own.apiKey,
      });
      expect(withKeys.status, path).toBe(plain.status);
      expect(withKeys.status, path).toBeLessThan(500);
      if (plain.status === 200) expect(withKeys.body, path).toEqual(plain.body);
    }
    const trpc = await send(server.url, {
      dialect: 'trpc',
      label: 'tags.list',
      method: 'GET',
      path: `/trpc/tags.list?input=${encodeURIComponent('{}')}&${query}`,
      headers: { authorization: `Bearer ${world.own.apiKey}` },
    });
    expect(trpc.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('in a body, are fields like any other: refused as unknown on /api, never a 500', async () => {
    for (const key of ['constructor', 'toString', '__proto__']) {
      const response = await restCall(server, 'POST', '/api/tags', {
        rawBody: `{"name":"proto ${key}","${key}":{"polluted":1}}`,
        apiKey: world.own.apiKey,
      });
      expect(response.status, key).toBe(400);
      // Said as what it is: Fastify's parser refuses `__proto__` (and `constructor.prototype`),
      // the schema any other unknown key.
      expect(response.body, key).toEqual(
        key === '__proto__'
          ? {
              code: 'VALIDATION_ERROR',
              message: 'the body has a "__proto__" or "constructor" key, which no input takes',
            }
          : expect.objectContaining({ issues: [{ path: [], message: `Unrecognized key: "${key}"` }] }),
      );
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('in the query string of a write, are parameters the route does not take: ignored, never "differs"', async () => {
    const path = `/api/entity-tags/sessions/${world.pools.session[0]}/tags?workspaceId=${world.own.id}`;
    const statuses: number[] = [];
    for (const key of ['toString', 'constructor', 'hasOwnProperty', 'valueOf', '__proto__']) {
      const response = await restCall(server, 'POST', `${path}&${key}=x`, {
        body: { tagId: world.pools.tag[0] },
        apiKey: world.own.apiKey,
      });
      statuses.push(response.status);
      expect(JSON.stringify(response.body), key).not.toMatch(/differs|Unrecognized/);
    }
    // Tagged by the first (unless an earlier test did), "already applied" after: the same
    // answers as without the parameters.
    expect(statuses.slice(1)).toEqual([409, 409, 409, 409]);
    expect([201, 409]).toContain(statuses[0]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('a body that is not JSON says so, not "not valid HTTP"', async () => {
    for (const rawBody of ['{"name":', '{"name":"a"} trailing', '{"name":"a"}{}']) {
      const response = await restCall(server, 'POST', '/api/tags', { rawBody, apiKey: world.own.apiKey });
      expect(response.body, rawBody).toEqual({ code: 'VALIDATION_ERROR', message: 'the body is not valid JSON' });
    }
  });
});

describe('messages never repeat unvalidated input', () => {
  it('a workspaceId that is not a number is not quoted back', async () => {
    const path = `/api/entity-tags/contacts/${world.pools.contact[0]}/tags`;
    for (const workspaceId of [{ a: 1 }, ['x'], 'abc<script>']) {
      const response = await restCall(server, 'POST', path, {
        body: { tagId: world.pools.tag[0], workspaceId },
        apiKey: world.own.apiKey,
      });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(JSON.stringify(response.body)).not.toMatch(/\[object Object\]|<script>/);
    }
  });

  it('a content type the route does not take is not quoted back', async () => {
    for (const path of ['/api/tags', '/api/v1/tags', '/trpc/tags.create']) {
      const response = await restCall(server, 'POST', path, {
        rawBody: '{"name":"x"}',
        headers: { 'content-type': 'text/x-secret-type' },
        apiKey: world.own.apiKey,
      });
      expect(response.status, path).toBe(415);
      expect(JSON.stringify(response.body), path).not.toContain('secret');
    }
  });
});
