import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTag,
  noActor,
  createWorkspaceWithKey,
  isDatabaseUnavailable,
  openDatabase,
  startBackgroundWorker,
  type BackgroundWorker,
  type Database,
} from '@tagging/domain';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../src/server.ts';
import { postgresBinDir, startThrowawayPostgres, type ThrowawayPostgres } from './support/throwaway-postgres.ts';

/**
 * The PostgreSQL server stopped and started again under load, on a throw-away server of the
 * test's own (initdb in a temporary directory; never the shared one): during the outage every
 * surface answers 503 with a JSON body, promptly, and /readyz says unready; once the server is
 * back the same API process recovers by itself. Needs the PostgreSQL binaries, not DATABASE_URL.
 */
const binDir = postgresBinDir();
if (!binDir) console.info('postgres-restart: skipped, no PostgreSQL binaries under /usr/lib/postgresql');

/** A request that hangs longer than this fails the test: an outage must be answered, not waited out. */
const answerWithinMs = 10_000;

let pg: ThrowawayPostgres | undefined;
let db: Database | undefined;
let app: FastifyInstance | undefined;
let worker: BackgroundWorker | undefined;
let baseUrl = '';
let apiKey = '';
let workspaceId = 0;
let contactTagPath = '';

beforeAll(async () => {
  if (!binDir) return;
  pg = await startThrowawayPostgres(binDir);
  db = await openDatabase({ target: { kind: 'postgres', url: pg.url, poolSize: 8 } });
  await db.migrate();
  const created = await createWorkspaceWithKey(db.fork(), 'Restart');
  apiKey = created.apiKey.secret;
  workspaceId = created.workspace.id;
  const tag = await createTag(db.fork(), workspaceId, { name: 'Under load' }, noActor);
  app = await buildServer({ db });
  worker = startBackgroundWorker(db, { idleMs: 50 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const contact = (await send(rest('POST', '/api/contacts', {}))).body as { id: string };
  contactTagPath = `/api/tags/${tag.id}/contacts/${contact.id}`;
}, 60_000);

afterAll(async () => {
  await app?.close();
  await worker?.stop();
  // Closing waits for every checked-out connection: bounded, so that a leak (which the test
  // reports) cannot keep the throw-away server from being deleted.
  await Promise.race([db?.close(), new Promise((resolve) => setTimeout(resolve, 5000))]);
  await pg?.destroy();
});

type Request = { surface: string; method: string; path: string; body?: unknown; bareKey?: boolean };
type Answer = { surface: string; status: number; body: unknown; json: boolean };

const rest = (method: string, path: string, body?: unknown): Request => ({ surface: 'REST', method, path, body });

/** One read on each surface: REST (two dialects), tRPC and GraphQL. */
const probes = (): Request[] => [
  rest('GET', '/api/tags'),
  { surface: 'Zapini', method: 'GET', path: '/api/v1/tags' },
  { surface: 'tRPC', method: 'GET', path: `/trpc/tags.list?input=${encodeURIComponent('{}')}` },
  {
    surface: 'GraphQL',
    method: 'POST',
    path: '/core/gq',
    bareKey: true,
    body: {
      query: 'query tags($input: TagsInput!) { tags(input: $input) { nodes { id tag } } }',
      variables: { input: { workspaceId } },
    },
  },
];

/** One request; a connection that fails or an answer that does not come in time is status 0. */
async function send(request: Request): Promise<Answer> {
  return attempt(request).catch((error: unknown) => ({
    surface: request.surface,
    status: 0,
    body: String(error),
    json: false,
  }));
}

async function attempt(request: Request): Promise<Answer> {
  const response = await fetch(`${baseUrl}${request.path}`, {
    method: request.method,
    headers: {
      authorization: request.bareKey ? apiKey : `Bearer ${apiKey}`,
      ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
    signal: AbortSignal.timeout(answerWithinMs),
  });
  const text = await response.text();
  try {
    return { surface: request.surface, status: response.status, body: JSON.parse(text) as unknown, json: true };
  } catch {
    return { surface: request.surface, status: response.status, body: text, json: false };
  }
}

/** Clients that tag, untag and list until told to stop; every answer is kept. */
function startLoad(clients: number): { answers: Answer[]; stop: () => Promise<void> } {
  const answers: Answer[] = [];
  let stopped = false;
  const work: Request[] = [rest('POST', contactTagPath), rest('DELETE', contactTagPath), ...probes()];
  const loops = Array.from({ length: clients }, async (_, client) => {
    for (let i = client; !stopped; i++) {
      answers.push(await send(work[i % work.length] as Request));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  });
  return {
    answers,
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

const statusesOf = (answers: Answer[]) =>
  answers.reduce<Record<string, number>>((counts, a) => ({ ...counts, [a.status]: (counts[a.status] ?? 0) + 1 }), {});

async function readiness(): Promise<number> {
  return (await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(answerWithinMs) })).status;
}

/** What the load and the probes got, by phase; filled by the first test, read by both. */
const seen: { down: Answer[]; duringOutage: Answer[]; up: Answer[]; afterRecovery: Answer[] } = {
  down: [],
  duringOutage: [],
  up: [],
  afterRecovery: [],
};
const graphQL = (answers: Answer[]) => answers.filter((a) => a.surface === 'GraphQL');
const notGraphQL = (answers: Answer[]) => answers.filter((a) => a.surface !== 'GraphQL');

describe.runIf(binDir)('PostgreSQL stopped and started under load (throw-away server)', () => {
  it('answers 503 with a JSON body during the outage and recovers by itself', async () => {
    if (!pg) throw new Error('no server');
    const load = startLoad(4);
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(load.answers.filter((a) => a.status >= 500 || a.status === 0)).toEqual([]);
      const before = load.answers.length;

      // A unit of work whose transaction is open when the server goes (as a long request's is).
      let resume: () => void = () => undefined;
      let opened: () => void = () => undefined;
      const resumed = new Promise<void>((resolve) => (resume = resolve));
      const open = new Promise<void>((resolve) => (opened = resolve));
      const inFlight = db?.fork().transactional(async (em) => {
        await em.execute('select 1');
        opened();
        await resumed;
        await em.execute('select 1');
      });
      await open;

      // Outage: requests in flight and new ones fail fast with 503.
      await pg.stop();
      resume();
      expect(
        await inFlight?.then(
          () => 'committed',
          (error: unknown) => isDatabaseUnavailable(error),
        ),
      ).toBe(true);
      seen.down = await Promise.all(probes().map(send));
      expect(await readiness()).toBe(503);
      await new Promise((resolve) => setTimeout(resolve, 500));
      seen.duringOutage = load.answers.slice(before);

      // Back: the same process recovers without a restart.
      await pg.start();
      let ready = 503;
      for (let i = 0; i < 100 && ready !== 200; i++) {
        ready = await readiness();
        if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(ready).toBe(200);
      const recoveredFrom = load.answers.length;
      await new Promise((resolve) => setTimeout(resolve, 500));
      await load.stop();
      seen.afterRecovery = load.answers.slice(recoveredFrom);
      seen.up = await Promise.all(probes().map(send));
    } finally {
      await load.stop();
    }
    console.info(
      `postgres-restart: during the outage ${JSON.stringify(statusesOf(seen.duringOutage))}, after ${JSON.stringify(statusesOf(seen.afterRecovery))}`,
    );

    const rest = seen.down.find((a) => a.surface === 'REST');
    expect(rest).toMatchObject({
      status: 503,
      body: { code: 'UNAVAILABLE', message: 'the database is unavailable; retry shortly' },
    });
    expect(seen.down.find((a) => a.surface === 'Zapini')).toMatchObject({ status: 503, body: { success: false } });
    expect(seen.down.find((a) => a.surface === 'tRPC')).toMatchObject({ status: 503, json: true });
    // While down: 503 (or a success that began before the stop), always JSON, never a 500 or a
    // dropped connection. Once ready: everything succeeds again.
    const outage = notGraphQL(seen.duringOutage);
    expect(outage.filter((a) => a.status !== 503 && (a.status >= 500 || a.status === 0))).toEqual([]);
    expect(outage.filter((a) => !a.json)).toEqual([]);
    expect(outage.filter((a) => a.status === 503).length).toBeGreaterThan(0);
    expect(seen.up.map((a) => [a.surface, a.status])).toEqual(probes().map((p) => [p.surface, 200]));
    expect(seen.afterRecovery.filter((a) => a.status >= 500 || a.status === 0)).toEqual([]);
    expect(seen.afterRecovery.length).toBeGreaterThan(0);

    // No connection of the transactions the outage broke is left checked out of the pool (each
    // would shrink it for good, until the service hung).
    await worker?.stop();
    const pool = (await db?.orm.em.getConnection().getNativeClient()) as { totalCount: number; idleCount: number };
    expect(pool.totalCount - pool.idleCount).toBe(0);
  }, 60_000);

  it('answers 503 with a JSON body on GraphQL during the outage', () => {
    expect(graphQL(seen.down)).toMatchObject([{ status: 503, json: true }]);
    expect(graphQL(seen.duringOutage).filter((a) => a.status !== 503 && (a.status >= 500 || a.status === 0))).toEqual(
      [],
    );
  });
});
