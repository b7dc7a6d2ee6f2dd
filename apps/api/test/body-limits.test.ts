import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxBulkEntities } from '@tagging/contracts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { buildFuzzWorld, type FuzzWorld } from './support/fuzz-fixtures.ts';
import { fingerprintDatabase } from './support/fuzz-database.ts';
import { judge, send, type FuzzRequest } from './support/fuzz-oracle.ts';

/**
 * The request size limits: a body over the server's 10 MiB bodyLimit is a 413 in each dialect's
 * error shape, a bulk request over the documented 10,000 entities is a 413 PAYLOAD_TOO_LARGE,
 * and neither changes anything.
 */
let server: TestServer;
let world: FuzzWorld;

beforeAll(async () => {
  server = await startTestServer({ worker: false, changeEvents: false });
  world = await buildFuzzWorld(server);
});
afterAll(() => server.close());

const overLimit = 'x'.repeat(10 * 1024 * 1024 + 1);

/** Sends the request and checks it is a 413 in its dialect's shape that changed nothing. */
async function expectTooLarge(request: FuzzRequest): Promise<unknown> {
  const before = await fingerprintDatabase(server.db);
  const exchange = await send(server.url, request);
  expect(judge(request, exchange), request.label).toEqual({ outcome: 'rejected' });
  expect(exchange.status, request.label).toBe(413);
  expect(await fingerprintDatabase(server.db)).toEqual(before);
  return JSON.parse(exchange.text);
}

const post = (dialect: FuzzRequest['dialect'], path: string, body: unknown, key = world.own.apiKey): FuzzRequest => ({
  dialect,
  label: `POST ${path}`,
  method: 'POST',
  path,
  headers: { authorization: dialect === 'graphql' ? key : `Bearer ${key}`, 'content-type': 'application/json' },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('body limit', () => {
  it('REST answers 413 { code: PAYLOAD_TOO_LARGE }', async () => {
    const body = await expectTooLarge(post('rest', '/api/tags', { name: overLimit }));
    expect(body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('Zapini answers 413 in its envelope', async () => {
    const body = await expectTooLarge(post('zapini', '/api/v1/tags', { name: overLimit, color: '#000000' }));
    expect(body).toMatchObject({ success: false });
  });

  it('GraphQL answers 413 with extensions.code PAYLOAD_TOO_LARGE', async () => {
    const body = await expectTooLarge(
      post('graphql', '/core/gq', { query: '{ __typename }', variables: { x: overLimit } }),
    );
    expect(body).toMatchObject({ errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
  });

  // Fails until server.ts registers `/trpc` through src/trpc/trpc-plugin.ts: Fastify's own 413 body.
  it('tRPC answers 413 in its error JSON', async () => {
    const body = await expectTooLarge(post('trpc', '/trpc/tags.create', { name: overLimit }));
    expect(body).toMatchObject({ error: { data: { errorCode: 'PAYLOAD_TOO_LARGE', httpStatus: 413 } } });
  });
});

describe(`bulk requests over ${maxBulkEntities} entities`, () => {
  const tooMany = <T>(item: (index: number) => T) =>
    Array.from({ length: maxBulkEntities + 1 }, (_, index) => item(index));

  it('bulk tag and untag answer 413 and tag nothing', async () => {
    for (const action of ['tag', 'untag']) {
      const entities = tooMany((index) => ({
        entityType: index % 2 ? 'contact' : 'session',
        entityId: index % 2 ? world.pools.contact[0] : world.pools.session[0],
      }));
      const path = `/api/entity-tags/bulk/${action}?workspaceId=${world.own.id}`;
      const body = await expectTooLarge(post('rest', path, { tagId: world.pools.tag[2], entities }));
      expect(body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    }
  });

  it('bulk upserts of contacts and sessions answer 413 and create nothing', async () => {
    const contacts = tooMany((index) => ({ externalId: `bulk-${index}`, name: 'n' }));
    expect(await expectTooLarge(post('rest', '/api/contacts/bulk', { contacts }))).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
    const sessions = tooMany((index) => ({ externalId: `bulk-${index}` }));
    expect(await expectTooLarge(post('rest', '/api/sessions/bulk', { sessions }))).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
  });

  it('over tRPC too', async () => {
    const contacts = tooMany((index) => ({ externalId: `bulk-${index}` }));
    const body = await expectTooLarge(post('trpc', '/trpc/contacts.bulkUpsert', { contacts }));
    expect(body).toMatchObject({ error: { data: { errorCode: 'PAYLOAD_TOO_LARGE' } } });
  });

  it('exactly the maximum is accepted', async () => {
    const contacts = Array.from({ length: maxBulkEntities }, (_, index) => ({ externalId: `max-${index}` }));
    const exchange = await send(server.url, post('rest', '/api/contacts/bulk', { contacts }));
    expect(exchange.status).toBe(200);
    expect(JSON.parse(exchange.text)).toMatchObject({ created: maxBulkEntities, errors: [] });
  });
});
