import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { defaultGraphQLLimits } from '../src/graphql/graphql-limits.ts';
import { watchPool } from '../testing/pool-watch.ts';
import { restCall, startTestServer, type TestServer, type TestWorkspace } from '../testing/test-server.ts';

/**
 * Issue 18, "GraphQL fan-out": each alias of `tags` is a database query, and on today's main one
 * request of 20,000 of them took the whole pool (another tenant's REST call waited 10 s or got
 * 503). Aliases are bounded before execution, and one request's resolvers wait on the database
 * at most `resolverConcurrency` at a time.
 */
let server: TestServer;
let heavy: TestWorkspace;
let neighbour: TestWorkspace;
const tagCount = 300;
const { maxAliases, resolverConcurrency } = defaultGraphQLLimits;

beforeAll(async () => {
  // No background work (jobs, the event sequencer, webhook deliveries): the pool holds requests only.
  server = await startTestServer({ worker: false, changeEvents: false });
  heavy = await server.newWorkspace('fan-out');
  neighbour = await server.newWorkspace('neighbour');
  await server.db.fork().execute(
    // ASCII names: their comparison key (tagNameKey) is their lower case.
    `insert into tag (workspace_id, id, name, name_key, type, "order")
       select ?, 'wtag_' || gen_random_uuid(), 'Fan-out tag ' || g, 'fan-out tag ' || g, 'common', g
       from generate_series(1, ?) g`,
    [heavy.id, tagCount],
  );
});
afterAll(() => server.close());

/** One request selecting every tag of the workspace `aliases` times. */
const fanOut = (aliases: number) => {
  const fields = Array.from(
    { length: aliases },
    (_, i) => `t${i}: tags(input: { workspaceId: ${heavy.id} }) { nodes { id tag } }`,
  );
  return restCall(server, 'POST', '/core/gq', {
    body: { query: `{ ${fields.join(' ')} }` },
    headers: { authorization: heavy.apiKey },
  });
};
const neighbourCall = () => restCall(server, 'GET', '/api/tags', { apiKey: neighbour.apiKey });

describe('GraphQL fan-out', () => {
  it('refuses 20,000 aliases of tags before execution, and the neighbour is served', async () => {
    const [huge, other] = await Promise.all([fanOut(20_000), neighbourCall()]);
    expect(huge.status).toBe(413);
    expect(Object.keys(huge.body as object)).toEqual(['errors']);
    expect(other.status).toBe(200);
  });

  it('refuses one alias over the limit before execution', async () => {
    const over = await fanOut(maxAliases + 1);
    expect(over.status).toBe(400);
    expect(over.body).toEqual({
      errors: [
        {
          message: `Aliases limit of ${maxAliases} exceeded, found ${maxAliases + 1}.`,
          extensions: { code: 'VALIDATION_ERROR' },
        },
      ],
    });
  });

  it('runs the most aliases allowed, while another tenant is served', async () => {
    const [within, other] = await Promise.all([fanOut(maxAliases), neighbourCall()]);
    expect(within.status).toBe(200);
    const data = (within.body as { data: Record<string, { nodes: unknown[] }> }).data;
    expect(Object.keys(data)).toHaveLength(maxAliases);
    for (const field of Object.values(data)) expect(field.nodes).toHaveLength(tagCount);
    expect(other.status).toBe(200);
  });

  // PGlite is one in-process connection without a pool; there the alias limit bounds the queue.
  it.skipIf(inject('testDatabaseTemplate').kind !== 'postgres')(
    'holds at most its share of the pool (PostgreSQL only: PGlite has no pool)',
    async () => {
      const pool = watchPool(server.db);
      for (let round = 0; round < 5; round++) {
        const [within, other] = await Promise.all([fanOut(maxAliases), neighbourCall()]);
        expect(within.status).toBe(200);
        expect(other.status).toBe(200);
      }
      const { busiest, waiting } = await pool.stop();
      // The request's resolvers, plus the neighbour's key lookup and query.
      expect(busiest).toBeGreaterThan(0);
      expect(busiest).toBeLessThanOrEqual(resolverConcurrency + 2);
      expect(waiting).toBe(0);
    },
  );
});
