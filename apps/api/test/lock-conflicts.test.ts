import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { dialectCalls, uuidOf, type DialectCalls } from './support/dialect-calls.ts';

/**
 * A change that still meets a deadlock after its retries (`retryingDeadlocks`) rolled back and
 * did nothing: it is a 503 with `Retry-After` on every surface, as the client may send it again,
 * never a 500 (black-box attack, session 24: merges, bulk patches and relinks under contention).
 * The deadlock is PostgreSQL's own error (40P01), raised by a trigger on the one tag under test,
 * on both databases.
 */
let server: TestServer;
let us: DialectCalls;

beforeAll(async () => {
  server = await startTestServer({ worker: false });
  us = dialectCalls(server, await server.newWorkspace('Lock conflicts'));
});
afterAll(() => server.close());

const deadlockOn = async (tagId: string | null) => {
  const em = server.db.fork();
  await em.execute('drop trigger if exists test_deadlock on tag');
  if (tagId === null) return;
  await em.execute(
    `create or replace function test_deadlock() returns trigger language plpgsql as $$
     begin
       if new.id = '${tagId}' then raise exception 'deadlock detected (test)' using errcode = '40P01'; end if;
       return new;
     end $$`,
  );
  await em.execute('create trigger test_deadlock before update on tag for each row execute function test_deadlock()');
};

describe('a deadlock still met after the retries', () => {
  it('is a 503 with Retry-After on REST, Zapini and GraphQL, and changes nothing', async () => {
    const tag = await us.newTag({ name: 'Contended', description: 'before' });
    await deadlockOn(tag);
    try {
      const rest = await us.rest('PUT', `/api/tags/${tag}`, { description: 'after' });
      expect(rest.status).toBe(503);
      expect(rest.headers.get('retry-after')).toBe('1');
      expect(rest.body).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/retry/) });
      expect(JSON.stringify(rest.body)).not.toMatch(/40P01|deadlock|trigger|update tag/i);

      const zapini = await us.zapini('PATCH', `/tags/${uuidOf(tag)}`, { name: 'Contended 2' });
      expect(zapini.status).toBe(503);
      expect(zapini.body).toMatchObject({ success: false });

      const graphql = await us.graphql({
        query: `mutation { bulkPatchTags(input: { workspaceId: ${us.ws.id}, patches: [{ id: "${tag}", order: 3 }] }) }`,
      });
      expect(graphql.body.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');

      const trpc = await us.trpc('mutation', 'tags.update', { id: tag, description: 'after' });
      expect(trpc.status).toBe(503);
    } finally {
      await deadlockOn(null);
    }
    expect((await us.rest('GET', `/api/tags/${tag}`)).body).toMatchObject({ name: 'Contended', description: 'before' });
    expect((await us.rest('PUT', `/api/tags/${tag}`, { description: 'after' })).status).toBe(200);
  });
});
