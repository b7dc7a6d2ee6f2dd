import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createWorkspaceWithKey, type Database } from '@tagging/domain';
import { openTestDatabase } from '@tagging/domain/testing';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../src/server.ts';

/**
 * A request's own logger (`req.log`) is made the first time something logs with it
 * (`observability/request-logger.ts`, issue 20): a request that writes only its request line
 * makes no pino child; one that logs gets the child Fastify's default made, bound to its
 * request id and redacted like every other line. Counted with pino's own `onChild` hook on the
 * server's real logger.
 */
const lines: string[] = [];
let children = 0;
let app: FastifyInstance;
let db: Database;
let dispose: () => Promise<void>;
let url: string;
let key: string;
const secret = 'probe-secret-7a1c9e3b5d';

beforeAll(async () => {
  ({ db, dispose } = await openTestDatabase(inject('testDatabaseTemplate')));
  app = await buildServer({
    db,
    logger: { level: 'info', stream: { write: (line: string) => lines.push(line) }, onChild: () => children++ },
  });
  // A route that logs through its request's logger, as the error paths do.
  app.get('/log-probe', (req) => {
    req.log.info({ apiKey: secret }, 'probe line');
    req.log.warn('second line');
    return { ok: true };
  });
  // Reading the level is not logging: no child for it.
  app.get('/log-level', (req) => ({ level: req.log.level }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  key = (await createWorkspaceWithKey(db.fork(), 'request logger')).apiKey.secret;
});
afterAll(async () => {
  await app.close();
  await dispose();
});

const get = (path: string, requestId: string) =>
  fetch(`${url}${path}`, { headers: { authorization: `Bearer ${key}`, 'x-request-id': requestId } });

describe("a request's logger", () => {
  it('is not made for requests that only write their request line', async () => {
    const before = children;
    for (let i = 0; i < 5; i++) {
      expect((await get('/api/tags', `quiet-${i}`)).status).toBe(200);
      expect((await get('/healthz', `health-${i}`)).status).toBe(200);
    }
    expect(await (await get('/log-level', 'level-1')).json()).toEqual({ level: 'info' });
    expect(children).toBe(before);
    expect(lines.filter((line) => line.includes('"reqId":"quiet-')).length).toBe(5);
  });

  it('is made once when the request logs, bound to its id, with the redaction', async () => {
    const before = children;
    expect((await get('/log-probe', 'probe-1')).status).toBe(200);
    expect(children).toBe(before + 1);
    const own = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((e) => e.reqId === 'probe-1');
    expect(own.map((entry) => entry.msg)).toEqual(['probe line', 'second line', 'request completed']);
    expect(own[0]).toMatchObject({ apiKey: '[redacted]' });
    expect(lines.join('\n')).not.toContain(secret);
  });
});
