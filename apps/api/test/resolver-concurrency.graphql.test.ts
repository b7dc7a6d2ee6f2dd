import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { blockedBehind } from '../testing/held-transaction.ts';
import { restCall, startTestServer, type TestServer, type TestWorkspace } from '../testing/test-server.ts';

/**
 * Review finding: `GRAPHQL_RESOLVER_CONCURRENCY` above 2 had no effect, since the procedures' own
 * share of the pool (tRPC's 2 calls at once) capped the GraphQL limiter wrapped around them. With
 * the `tag` table locked, each resolver's query waits on the lock holding its connection: the
 * backends blocked behind the lock are the resolvers on the database at once, exactly the setting.
 * PostgreSQL only: PGlite is one connection in the process, with no pool and no second session.
 */
const aliases = 20;

describe.skipIf(inject('testDatabaseTemplate').kind !== 'postgres')('GraphQL resolvers on the database', () => {
  describe.each([5, 1])('GRAPHQL_RESOLVER_CONCURRENCY=%i', (concurrency) => {
    let server: TestServer;
    let workspace: TestWorkspace;
    beforeAll(async () => {
      // No background work (jobs, the event sequencer, webhook deliveries): the pool holds requests only.
      server = await startTestServer({
        worker: false,
        changeEvents: false,
        graphql: { resolverConcurrency: concurrency },
      });
      workspace = await server.newWorkspace('resolvers');
    });
    afterAll(() => server.close());

    it(`has ${concurrency} resolver(s) of one request on the database at once`, async () => {
      const fields = Array.from(
        { length: aliases },
        (_, i) => `t${i}: tags(input: { workspaceId: ${workspace.id} }) { nodes { id } }`,
      );
      let request: ReturnType<typeof restCall> | undefined;
      const seen: number[] = [];
      await server.db.fork().transactional(async (em) => {
        const [holder] = (await em.execute('select pg_backend_pid() as pid')) as { pid: number }[];
        await em.execute('lock table tag in access exclusive mode');
        request = restCall(server, 'POST', '/core/gq', {
          body: { query: `{ ${fields.join(' ')} }` },
          headers: { authorization: workspace.apiKey },
        });
        const blocked = () => blockedBehind(server.db, holder?.pid ?? 0).then((n) => (seen.push(n), n));
        // The request's share fills up; then, sampled on, no further resolver reaches the
        // database: the others wait in the share until the lock goes.
        await expect.poll(blocked, { timeout: 10_000, interval: 20 }).toBe(concurrency);
        for (let sample = 0; sample < 20; sample++) await blocked();
      });
      const response = await request;
      expect(Math.max(...seen)).toBe(concurrency);
      expect(response?.status).toBe(200);
      expect(Object.keys((response?.body as { data: object }).data)).toHaveLength(aliases);
    });
  });
});
