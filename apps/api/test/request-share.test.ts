import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { maxBodyDepth } from '../src/http/body-depth.ts';
import { callsInFlightPerRequest } from '../src/trpc/context.ts';
import { watchPool } from '../testing/pool-watch.ts';
import { restCall, startTestServer, type TestServer, type TestWorkspace } from '../testing/test-server.ts';

/**
 * Black-box findings on issue 18 ("one caller must not crash or starve the service"): a tRPC
 * batch of 50 calls took the whole pool; a body over the limit was refused but read to its end;
 * tRPC took JSON nested past the limit REST refuses, up to a stack overflow.
 */
let server: TestServer;
let heavy: TestWorkspace;
let neighbour: TestWorkspace;

beforeAll(async () => {
  // No background work (jobs, the event sequencer, webhook deliveries): the pool holds requests only.
  server = await startTestServer({ worker: false, changeEvents: false });
  heavy = await server.newWorkspace('batching');
  neighbour = await server.newWorkspace('neighbour');
  await server.db.fork().execute(
    `insert into contact (workspace_id, id, name)
     select ?, 'contact_' || gen_random_uuid(), 'Contact ' || g from generate_series(1, 2000) g`,
    [heavy.id],
  );
});
afterAll(() => server.close());

const batchOf = (calls: number) => {
  const names = Array.from({ length: calls }, () => 'contacts.list').join(',');
  const input = Object.fromEntries(Array.from({ length: calls }, (_, i) => [i, { limit: 500 }]));
  return restCall(server, 'GET', `/trpc/${names}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`, {
    apiKey: heavy.apiKey,
  });
};

describe('a tRPC batch', () => {
  it('answers every call of a batch of 50', async () => {
    const response = await batchOf(50);
    expect(response.status).toBe(200);
    expect(response.body).toHaveLength(50);
  });

  it.skipIf(inject('testDatabaseTemplate').kind !== 'postgres')(
    'holds at most its share of the pool (PostgreSQL only: PGlite has no pool)',
    async () => {
      const pool = watchPool(server.db);
      const [batches, other] = await Promise.all([
        Promise.all([batchOf(50), batchOf(50)]),
        restCall(server, 'GET', '/api/tags', { apiKey: neighbour.apiKey }),
      ]);
      const { busiest, waiting } = await pool.stop();
      for (const batch of batches) expect(batch.status).toBe(200);
      expect(other.status).toBe(200);
      // Two requests' shares, plus the neighbour's key lookup and query.
      expect(busiest).toBeGreaterThan(0);
      expect(busiest).toBeLessThanOrEqual(2 * callsInFlightPerRequest + 2);
      expect(waiting).toBe(0);
    },
  );
});

describe('JSON nested past the limit', () => {
  const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
  const body = (depth: number) => `{"name":"Deep","metadata":{"a":${nested(depth)}}}`;

  it.each([
    ['REST', '/api/contacts', (r: { body: unknown }) => (r.body as { code: string }).code === 'VALIDATION_ERROR'],
    ['tRPC', '/trpc/contacts.create', (r: { body: unknown }) => 'error' in (r.body as object)],
  ])('is refused with 400 in the surface shape: %s', async (_surface, path, shaped) => {
    for (const depth of [maxBodyDepth + 1, 5000]) {
      const response = await restCall(server, 'POST', path, { apiKey: heavy.apiKey, rawBody: body(depth) });
      expect(response.status).toBe(400);
      expect(shaped(response)).toBe(true);
      expect(JSON.stringify(response.body)).not.toContain('call stack');
    }
    const fine = await restCall(server, 'POST', path, { apiKey: heavy.apiKey, rawBody: body(10) });
    expect(fine.status).toBeLessThan(300);
  });

  it('is refused in a tRPC query input too', async () => {
    const input = encodeURIComponent(`{"0":{"limit":${nested(maxBodyDepth + 1)}}}`);
    const response = await restCall(server, 'GET', `/trpc/contacts.list?batch=1&input=${input}`, {
      apiKey: heavy.apiKey,
    });
    expect(response.status).toBe(400);
  });
});

describe('a body over the limit', () => {
  it('is answered 413 and its connection closed, without reading the rest', async () => {
    const { port } = new URL(server.url);
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write(
      `POST /api/tags HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${heavy.apiKey}\r\n` +
        `content-type: application/json\r\ncontent-length: ${1024 ** 4}\r\n\r\n{"name":"`,
    );
    // The server closes the connection after its answer; the rest of the body is never sent.
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
    expect(answer.toLowerCase()).toContain('connection: close');
  });
});
