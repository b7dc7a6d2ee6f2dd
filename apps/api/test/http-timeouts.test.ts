import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestWorkspace } from '../testing/test-server.ts';

/**
 * Slow clients cannot hold the server: a request whose headers or body do not arrive in time is
 * answered 408 (in its surface's shape) and its connection closed; one client address cannot open
 * more than its share of connections. Timeouts here are short so that the test is; the defaults
 * are in src/http/http-limits.ts and docs/RELIABILITY.md.
 */
let server: TestServer;
let workspace: TestWorkspace;
const requestTimeoutMs = 3_000;
const headersTimeoutMs = 500;
const maxConnectionsPerClient = 80;

beforeAll(async () => {
  server = await startTestServer({
    worker: false,
    limits: { requestTimeoutMs, headersTimeoutMs, maxConnectionsPerClient },
  });
  workspace = await server.newWorkspace();
});
afterAll(() => server.close());

type Outcome = { closed: boolean; received: string };

/** Opens a socket, writes `data`, and resolves with what came back once the server closed it (or `waitMs` passed). */
function slowClient(data: string, waitMs: number): { connected: Promise<void>; outcome: Promise<Outcome> } {
  const { port } = new URL(server.url);
  const socket = net.connect({ host: '127.0.0.1', port: Number(port) });
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
  socket.on('error', () => undefined);
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const outcome = new Promise<Outcome>((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ closed: false, received });
    }, waitMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve({ closed: true, received });
    });
  });
  void connected.then(() => socket.write(data));
  return { connected, outcome };
}

const megabyte = 1024 * 1024;
const partialBody = (path: string, extra: Record<string, string> = {}) =>
  [
    `POST ${path} HTTP/1.1`,
    'Host: 127.0.0.1',
    `Authorization: Bearer ${workspace.apiKey}`,
    'Content-Type: application/json',
    `Content-Length: ${megabyte}`,
    ...Object.entries(extra).map(([name, value]) => `${name}: ${value}`),
    '',
    '{"name":"slow',
  ].join('\r\n');

const statusOf = (received: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1]);
const bodyOf = (received: string) => JSON.parse(received.slice(received.indexOf('\r\n\r\n') + 4)) as unknown;

describe('slow bodies', () => {
  it('closes 50 connections that send headers and 13 bytes of a 1 MB body; /healthz answers meanwhile', async () => {
    const clients = Array.from({ length: 50 }, () => slowClient(partialBody('/api/tags'), 20 * requestTimeoutMs));
    await Promise.all(clients.map((client) => client.connected));
    // While they hang, the server answers others at once (a generous bound, not a benchmark).
    let closedBeforeHealth = 0;
    for (const client of clients) void client.outcome.then(() => closedBeforeHealth++);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    // Answered while all 50 were still held open.
    expect(closedBeforeHealth).toBe(0);

    const outcomes = await Promise.all(clients.map((client) => client.outcome));
    expect(outcomes.filter((outcome) => !outcome.closed)).toHaveLength(0);
    for (const outcome of outcomes) {
      expect(statusOf(outcome.received)).toBe(408);
      expect(bodyOf(outcome.received)).toEqual({
        code: 'REQUEST_TIMEOUT',
        message: 'the request did not arrive in time',
      });
    }
    // Nothing was created from the halves of bodies.
    const tags = await fetch(`${server.url}/api/tags`, { headers: { authorization: `Bearer ${workspace.apiKey}` } });
    expect(((await tags.json()) as { tags: unknown[] }).tags).toEqual([]);
  });

  it('answers the timeout in the shape of each surface', async () => {
    const cases = [
      { path: '/api/v1/tags', shape: { success: false, message: 'the request did not arrive in time' } },
      {
        path: '/trpc/tags.create',
        shape: { error: { data: { errorCode: 'REQUEST_TIMEOUT', httpStatus: 408 } } },
      },
      { path: '/core/gq', shape: { errors: [{ extensions: { code: 'REQUEST_TIMEOUT' } }] } },
    ];
    const outcomes = await Promise.all(
      cases.map(({ path }) => slowClient(partialBody(path), 20 * requestTimeoutMs).outcome),
    );
    outcomes.forEach((outcome, index) => {
      expect(outcome.closed).toBe(true);
      expect(statusOf(outcome.received)).toBe(408);
      expect(bodyOf(outcome.received)).toMatchObject(cases[index]?.shape ?? {});
    });
  });

  it('closes a connection whose headers never end', async () => {
    const { outcome } = slowClient('GET /api/tags HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ', 20 * requestTimeoutMs);
    const { closed, received } = await outcome;
    expect(closed).toBe(true);
    expect(statusOf(received)).toBe(408);
  });
});

describe('connections per client', () => {
  it(`closes connections past ${maxConnectionsPerClient} from one address, and takes new ones once they go`, async () => {
    const { port } = new URL(server.url);
    const open = async () => {
      const socket = net.connect({ host: '127.0.0.1', port: Number(port) });
      socket.on('error', () => undefined);
      await new Promise((resolve) => socket.once('connect', resolve));
      return socket;
    };
    const sockets = await Promise.all(Array.from({ length: maxConnectionsPerClient }, open));
    // Let the server count them all before the one too many.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const extra = net.connect({ host: '127.0.0.1', port: Number(port) });
    extra.on('error', () => undefined);
    const closed = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 5_000);
      extra.once('close', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    expect(closed).toBe(true);
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
