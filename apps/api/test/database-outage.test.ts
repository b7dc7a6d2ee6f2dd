import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '@tagging/domain';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../src/server.ts';

/**
 * A server whose PostgreSQL cannot be reached (nothing listens on port 1): requests that need
 * the database fail fast with 503 and a JSON body, /readyz says so, /healthz stays up.
 */
let app: FastifyInstance;
let db: Database;
let url: string;

beforeAll(async () => {
  db = await openDatabase({
    target: { kind: 'postgres', url: 'postgres://postgres@127.0.0.1:1/nowhere', poolSize: 1 },
  });
  app = await buildServer({ db });
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await app.close();
  await db.close();
});

const get = async (path: string, key?: string) => {
  const response = await fetch(`${url}${path}`, key ? { headers: { authorization: `Bearer ${key}` } } : {});
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('database outage', () => {
  it('answers 503 with a JSON body on every surface, fast', async () => {
    const started = performance.now();
    expect(await get('/api/tags', 'tgk_some-key-that-needs-the-database')).toEqual({
      status: 503,
      body: { code: 'UNAVAILABLE', message: 'the database is unavailable; retry shortly' },
    });
    expect(await get('/api/v1/tags', 'tgk_some-key-that-needs-the-database')).toMatchObject({
      status: 503,
      body: { success: false },
    });
    expect((await get('/trpc/tags.list', 'tgk_some-key-that-needs-the-database')).status).toBe(503);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('reports itself unready but alive', async () => {
    expect(await get('/readyz')).toMatchObject({ status: 503, body: { status: 'unavailable' } });
    expect(await get('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('keeps its own routes open to a client that sends a key anyway: the key is not looked up', async () => {
    const key = 'tgk_some-key-that-needs-the-database';
    expect(await get('/healthz', key)).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await get('/readyz', key)).toMatchObject({ status: 503, body: { status: 'unavailable' } });
    expect((await get('/openapi.json', key)).status).toBe(200);
  });
});
