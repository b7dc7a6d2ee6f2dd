import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '@tagging/domain/testing';
import type { FastifyInstance } from 'fastify';
import type {} from '../testing/global-setup.ts';
import { readEnv, type TrustProxy } from '../src/env.ts';
import { buildServer } from '../src/server.ts';

/**
 * Behind a TLS-terminating proxy (issue 19, "Operators"): with TRUST_PROXY naming the proxy, its
 * X-Forwarded-Proto/Host make /openapi.json's server URL and its X-Forwarded-For the client
 * address that is logged and rate limited; without it, those headers are a client's word and
 * ignored.
 */
let database: TestDatabase | undefined;
let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  await database?.dispose();
  app = undefined;
  database = undefined;
});

async function serve(trustProxy: TrustProxy | undefined, rateLimit?: { max: number; timeWindowMs: number }) {
  database = await openTestDatabase(inject('testDatabaseTemplate'));
  const lines: string[] = [];
  app = await buildServer({
    db: database.db,
    logger: { level: 'info', stream: { write: (line: string) => lines.push(line) } },
    ...(trustProxy === undefined ? {} : { trustProxy }),
    ...(rateLimit ? { rateLimit } : {}),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, port, lines };
}

const proxied = {
  'x-forwarded-proto': 'https',
  'x-forwarded-host': 'api.example.com',
  'x-forwarded-for': '203.0.113.7',
};
const serverUrlOf = async (response: Response) =>
  ((await response.json()) as { servers: { url: string }[] }).servers[0]?.url;
const requestLines = (lines: string[]) =>
  lines
    .map((line) => JSON.parse(line) as { msg?: string; clientAddress?: string; route?: string })
    .filter((line) => line.msg === 'request completed');

describe('TRUST_PROXY', () => {
  it('is parsed from the environment: off by default, true, hops, or addresses', () => {
    expect(readEnv({}).TRUST_PROXY).toBe(false);
    expect(readEnv({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(readEnv({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(readEnv({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' }).TRUST_PROXY).toEqual(['127.0.0.1', '10.0.0.0/8']);
    expect(() => readEnv({ TRUST_PROXY: 'yes please' })).toThrow(/invalid configuration: TRUST_PROXY/);
  });

  it('a trusted proxy: https and its host in /openapi.json, the forwarded client address logged', async () => {
    const { url, lines } = await serve(['127.0.0.1']);
    const response = await fetch(`${url}/openapi.json`, { headers: proxied });
    expect(response.status).toBe(200);
    expect(await serverUrlOf(response)).toBe('https://api.example.com/api');
    expect(requestLines(lines).at(-1)).toMatchObject({ route: '/openapi.json', clientAddress: '203.0.113.7' });
  });

  it('logs a forwarded client address only when it is an IP address, else a fixed marker', async () => {
    const { url, lines } = await serve(true);
    // (Trusting every hop, the client is the first address of the list.)
    const forwarded = ['mysecretpassword', '"}', 'x'.repeat(8_000), 'not-an-ip, 203.0.113.9', '2001:db8::1'];
    for (const address of forwarded)
      expect((await fetch(`${url}/healthz`, { headers: { 'x-forwarded-for': address } })).status).toBe(200);
    expect(requestLines(lines).map((line) => line.clientAddress)).toEqual([
      'not-an-ip-address',
      'not-an-ip-address',
      'not-an-ip-address',
      'not-an-ip-address',
      '2001:db8::1',
    ]);
    expect(lines.join('\n')).not.toContain('mysecretpassword');
  });

  it('no trusted proxy (the default): the forwarded headers are ignored', async () => {
    const { url, port, lines } = await serve(undefined);
    const response = await fetch(`${url}/openapi.json`, { headers: proxied });
    expect(await serverUrlOf(response)).toBe(`http://127.0.0.1:${port}/api`);
    expect(requestLines(lines).at(-1)).toMatchObject({ clientAddress: '127.0.0.1' });
  });

  it('a hop count believes the nearest proxy', async () => {
    const { url } = await serve(1);
    const response = await fetch(`${url}/openapi.json`, { headers: proxied });
    expect(await serverUrlOf(response)).toBe('https://api.example.com/api');
  });

  it('an untrusted peer (not in the list) is not believed', async () => {
    const { url, port } = await serve(['10.0.0.0/8']);
    const response = await fetch(`${url}/openapi.json`, { headers: proxied });
    expect(await serverUrlOf(response)).toBe(`http://127.0.0.1:${port}/api`);
  });

  it('takes only http/https and a valid host[:port] into the server URL, else the local address', async () => {
    const { url, port } = await serve(true);
    const local = `http://127.0.0.1:${port}/api`;
    const served = (headers: Record<string, string>) => fetch(`${url}/openapi.json`, { headers }).then(serverUrlOf);
    expect(await served({ 'x-forwarded-proto': 'javascript', 'x-forwarded-host': 'a' })).toBe('http://a/api');
    expect(await served({ 'x-forwarded-host': 'evil.com/"<script>' })).toBe(local);
    expect(await served({ 'x-forwarded-host': 'a.example.com:99999' })).toBe(local);
    expect(await served({ 'x-forwarded-host': 'a b' })).toBe(local);
    expect(await served({ 'x-forwarded-host': '[::1]:8080' })).toBe('http://[::1]:8080/api');
    expect(await served({ 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.com:8443' })).toBe(
      'https://api.example.com:8443/api',
    );
    // The Host header itself, without any proxy header (fetch would not send this one as it is).
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(`${url}/openapi.json`, { headers: { host: 'evil.com/"<script>' } }, (res) => {
        let text = '';
        res
          .setEncoding('utf8')
          .on('data', (chunk: string) => (text += chunk))
          .on('end', () => resolve(text));
      });
      req.on('error', reject).end();
    });
    expect(body).not.toContain('<script>');
    expect((JSON.parse(body) as { servers: { url: string }[] }).servers[0]?.url).toBe(local);
  });

  it('rate limits the clients behind a trusted proxy each by its own address', async () => {
    const { url } = await serve(true, { max: 1, timeWindowMs: 60_000 });
    const from = (address: string) =>
      fetch(`${url}/openapi.json`, { headers: { 'x-forwarded-for': address } }).then((r) => r.status);
    expect(await from('198.51.100.1')).toBe(200);
    expect(await from('198.51.100.1')).toBe(429);
    // Another client of the same proxy has its own bucket.
    expect(await from('198.51.100.2')).toBe(200);
    // Probes are never limited.
    expect((await fetch(`${url}/healthz`, { headers: { 'x-forwarded-for': '198.51.100.1' } })).status).toBe(200);
  });
});
