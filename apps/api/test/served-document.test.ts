import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenApiDocument } from '../src/openapi/openapi-document.ts';
import { servedOpenApiDocument } from '../src/openapi/served-document.ts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';

/**
 * Review finding: `/openapi.json` was generated again for each new address it was asked on.
 * The document is built once; each address gets its own `servers` on a shallow copy of it.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ worker: false, changeEvents: false, trustProxy: true });
});
afterAll(() => server.close());

const serverUrlAt = async (host: string) => {
  const response = await fetch(`${server.url}/openapi.json`, {
    headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': host },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { servers: { url: string }[] }).servers;
};

describe('/openapi.json on several addresses', () => {
  it('names, to each host, its own server URL', async () => {
    expect(await serverUrlAt('a.example.com')).toEqual([{ url: 'https://a.example.com/api' }]);
    expect(await serverUrlAt('b.example.com:8443')).toEqual([{ url: 'https://b.example.com:8443/api' }]);
    expect(await serverUrlAt('a.example.com')).toEqual([{ url: 'https://a.example.com/api' }]);
  });

  it('is built once: requests on two hosts share one document but for its servers', async () => {
    // servedOpenApiDocument on real requests of a server of its own, to see the objects it returns.
    const served: OpenApiDocument[] = [];
    const app = Fastify({ trustProxy: true });
    app.get('/document', async (req) => {
      served.push(servedOpenApiDocument(req));
      return { ok: true };
    });
    try {
      for (const host of ['one.example.com', 'two.example.com', 'evil.com/"<script>'])
        await app.inject({ url: '/document', headers: { host } });
    } finally {
      await app.close();
    }
    const [one, two, invalid] = served;
    expect(one?.servers).toEqual([{ url: 'http://one.example.com/api' }]);
    expect(two?.servers).toEqual([{ url: 'http://two.example.com/api' }]);
    // An invalid Host still gives the local address (inject's socket has none: localhost).
    expect(invalid?.servers?.[0]?.url).not.toContain('<script>');
    expect(two?.paths).toBe(one?.paths);
    expect(invalid?.paths).toBe(one?.paths);
    expect(two?.components).toBe(one?.components);
    expect(two?.webhooks).toBe(one?.webhooks);
  });
});
