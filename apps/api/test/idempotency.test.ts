import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimIdempotencyKey, deleteExpiredIdempotencyKeys } from '@tagging/domain';
import { idempotent, TaggingApiError } from '@tagging/client';
import { requestFingerprint } from '../src/http/idempotency.ts';
import { restCall, startTestServer, type RestResponse, type TestServer } from '../testing/test-server.ts';
import { fixture, type WorkspaceFixture } from '../testing/workspace-fixture.ts';

/** Issue 19: `Idempotency-Key` on every POST of every dialect, kept in the database. */
let server: TestServer;
let ws: WorkspaceFixture;
let other: WorkspaceFixture;

beforeAll(async () => {
  server = await startTestServer();
  ws = await fixture(server, 'Idempotent');
  other = await fixture(server, 'Other');
});
afterAll(() => server.close());

const post = (path: string, body: unknown, key: string | undefined, apiKey = ws.apiKey): Promise<RestResponse> =>
  restCall(server, 'POST', path, { body, apiKey, headers: key === undefined ? {} : { 'idempotency-key': key } });

const contactCount = async (workspace: WorkspaceFixture, externalId: string) => {
  const [row] = await server.db
    .fork()
    .execute<{ count: number }[]>(
      'select count(*)::int as count from contact where workspace_id = ? and external_id = ?',
      [workspace.id, externalId],
    );
  return row?.count;
};

const storedKeys = async (key: string) => {
  const [row] = await server.db
    .fork()
    .execute<{ count: number }[]>('select count(*)::int as count from idempotency_key where key = ?', [key]);
  return row?.count;
};

describe('Idempotency-Key on REST', () => {
  it('replays the first response of a create instead of creating twice', async () => {
    const key = randomUUID();
    const body = { externalId: 'idem-1', name: 'Ada' };
    const first = await post('/api/contacts', body, key);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    // The same body with its keys in another order is the same request.
    const second = await post('/api/contacts', { name: 'Ada', externalId: 'idem-1' }, key);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(second.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
    expect(await contactCount(ws, 'idem-1')).toBe(1);
    // Without a key, the same request runs again (and meets the duplicate external id).
    expect((await post('/api/contacts', body, undefined)).status).toBe(409);
  });

  it('replays an error outcome too (a 409 is the answer, not a failure to retry)', async () => {
    const key = randomUUID();
    const body = { externalId: 'idem-1' };
    const first = await post('/api/contacts', body, key);
    expect(first.status).toBe(409);
    const second = await post('/api/contacts', body, key);
    expect(second).toMatchObject({ status: 409, body: first.body });
    expect(second.headers.get('idempotent-replayed')).toBe('true');
  });

  it('answers 422 to the same key with another body or another route, in each dialect’s shape', async () => {
    const key = randomUUID();
    expect((await post('/api/contacts', { externalId: 'idem-2' }, key)).status).toBe(201);
    const otherBody = await post('/api/contacts', { externalId: 'idem-3' }, key);
    expect(otherBody).toMatchObject({ status: 422, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
    const otherRoute = await post('/api/tags', { name: 'Idem' }, key);
    expect(otherRoute).toMatchObject({ status: 422, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
    const zapini = await post('/api/v1/tags', { name: 'Idem', color: '#112233' }, key);
    expect(zapini).toMatchObject({ status: 422, body: { success: false, message: expect.any(String) } });
    expect(await contactCount(ws, 'idem-3')).toBe(0);
  });

  it('answers 409 while the first request with the key is still running, then runs once it is free', async () => {
    const key = randomUUID();
    const body = { externalId: 'idem-running' };
    // Another process holds the key: its request has claimed it and not answered yet.
    const held = await claimIdempotencyKey(server.db, {
      workspaceId: ws.id,
      apiKeyId: await apiKeyIdOf(ws),
      key,
      fingerprint: requestFingerprint('POST', '/api/contacts', body),
    });
    expect(held.kind).toBe('claimed');
    const running = await post('/api/contacts', body, key);
    expect(running).toMatchObject({ status: 409, body: { code: 'CONFLICT' } });
    expect(running.body).toMatchObject({ message: expect.stringContaining('still running') });
    expect(await contactCount(ws, 'idem-running')).toBe(0);
    // The holder died: once its claim is older than the claim timeout, the key is taken over.
    await server.db
      .fork()
      .execute(`update idempotency_key set created_at = now() - interval '1 hour' where key = ?`, [key]);
    expect((await post('/api/contacts', body, key)).status).toBe(201);
    expect((await post('/api/contacts', body, key)).headers.get('idempotent-replayed')).toBe('true');
    expect(await contactCount(ws, 'idem-running')).toBe(1);
  });

  it('lets concurrent requests with one key create one record: the others are 409 or the replay', async () => {
    const key = randomUUID();
    const body = { externalId: 'idem-race' };
    const responses = await Promise.all(Array.from({ length: 6 }, () => post('/api/contacts', body, key)));
    const created = responses.filter((response) => response.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const response of created) expect(response.body).toEqual(created[0]?.body);
    for (const response of responses) expect([201, 409]).toContain(response.status);
    expect(await contactCount(ws, 'idem-race')).toBe(1);
  });

  it('keeps keys per API key: another workspace’s key with the same value is another request', async () => {
    const key = randomUUID();
    const mine = await post('/api/contacts', { externalId: 'idem-shared' }, key);
    const theirs = await post('/api/contacts', { externalId: 'idem-shared' }, key, other.apiKey);
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.body).not.toEqual(mine.body);
  });

  it('does not keep a failed (5xx) first attempt: the retry with the key runs again', async () => {
    const key = randomUUID();
    const body = { externalId: 'idem-5xx' };
    const fork = server.db.fork();
    await fork.execute('alter table contact rename to contact_away');
    let failed: RestResponse;
    try {
      failed = await post('/api/contacts', body, key);
    } finally {
      await fork.execute('alter table contact_away rename to contact');
    }
    expect(failed).toMatchObject({ status: 500, body: { code: 'INTERNAL_ERROR' } });
    expect(await storedKeys(key)).toBe(0);
    const retried = await post('/api/contacts', body, key);
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
  });

  it('does not keep a refusal of the input (400): the corrected request runs with the same key', async () => {
    const key = randomUUID();
    const refused = await post('/api/contacts', { externalId: 'idem-400', unknownField: true }, key);
    expect(refused).toMatchObject({ status: 400, body: { code: 'VALIDATION_ERROR' } });
    expect(await storedKeys(key)).toBe(0);
    const corrected = await post('/api/contacts', { externalId: 'idem-400' }, key);
    expect(corrected.status).toBe(201);
    expect((await post('/api/contacts', { externalId: 'idem-400' }, key)).headers.get('idempotent-replayed')).toBe(
      'true',
    );
  });

  it('does not keep a refusal of the request’s form (405, 413, 415): the corrected request runs with the same key', async () => {
    // 405: a tRPC query sent by POST.
    const methodKey = randomUUID();
    const wrongMethod = await restCall(server, 'POST', '/trpc/tags.list', {
      body: {},
      apiKey: ws.apiKey,
      headers: { 'idempotency-key': methodKey },
    });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
    expect(await storedKeys(methodKey)).toBe(0);
    // 415: a tRPC mutation without a content type.
    const typeKey = randomUUID();
    const untyped = await fetch(`${server.url}/trpc/tags.create`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ws.apiKey}`, 'idempotency-key': typeKey },
    });
    expect(untyped.status).toBe(415);
    expect(await storedKeys(typeKey)).toBe(0);
    const corrected = await restCall(server, 'POST', '/trpc/tags.create', {
      body: { name: 'Idem after 415' },
      apiKey: ws.apiKey,
      headers: { 'idempotency-key': typeKey },
    });
    expect(corrected.status).toBe(200);
    // 413: more entities than one bulk request takes.
    const sizeKey = randomUUID();
    const tag = await ws.tag({ name: 'Idem bulk' });
    const session = await ws.sessionOf(await ws.contact({}));
    const entities = Array.from({ length: 10_001 }, () => ({ entityType: 'session', entityId: session.id }));
    const bulk = (items: unknown[]) =>
      post(`/api/entity-tags/bulk/tag?workspaceId=${ws.id}`, { tagId: tag.id, entities: items }, sizeKey);
    expect((await bulk(entities)).status).toBe(413);
    expect(await storedKeys(sizeKey)).toBe(0);
    expect((await bulk(entities.slice(0, 1))).status).toBe(200);
    // 404 for a path no route takes (a mistyped URL): the request ran nothing.
    for (const path of ['/api/no-such-route', '/api/v1/no-such-route', '/api/tags/wtag_x']) {
      const pathKey = randomUUID();
      expect((await post(path, { name: 'Idem no route' }, pathKey)).status, path).toBe(404);
      expect(await storedKeys(pathKey), path).toBe(0);
    }
  });

  it('refuses a malformed key with 400 and ignores the header on idempotent methods', async () => {
    const tooLong = 'k'.repeat(256);
    expect(await post('/api/contacts', {}, tooLong)).toMatchObject({ status: 400, body: { code: 'VALIDATION_ERROR' } });
    expect(await post('/api/v1/tags', { name: 'x', color: '#000000' }, 'has space')).toMatchObject({
      status: 400,
      body: { success: false },
    });
    const listed = await restCall(server, 'GET', '/api/tags', {
      apiKey: ws.apiKey,
      headers: { 'idempotency-key': 'g' },
    });
    expect(listed.status).toBe(200);
    expect(await storedKeys('g')).toBe(0);
  });

  it('expires keys: the clean-up deletes them and the key then names a new request', async () => {
    const key = randomUUID();
    expect((await post('/api/tags', { name: 'Expiring' }, key)).status).toBe(201);
    await server.db
      .fork()
      .execute(`update idempotency_key set expires_at = now() - interval '1 second' where key = ?`, [key]);
    expect(await deleteExpiredIdempotencyKeys(server.db)).toBeGreaterThanOrEqual(1);
    expect(await storedKeys(key)).toBe(0);
    // A new first request: it runs (and meets the tag it made a day ago).
    expect(await post('/api/tags', { name: 'Expiring' }, key)).toMatchObject({ status: 409 });
  });
});

describe('Idempotency-Key on tRPC and GraphQL', () => {
  it('is a typed header parameter of the SDK’s REST client', async () => {
    const key = randomUUID();
    const create = () =>
      ws.rest.POST('/tags', { body: { name: 'Idem REST SDK' }, params: { header: { 'Idempotency-Key': key } } });
    const first = await create();
    const again = await create();
    expect(first.response.status).toBe(201);
    expect(again.response.status).toBe(201);
    expect(again.data).toEqual(first.data);
    expect(again.response.headers.get('idempotent-replayed')).toBe('true');
  });

  it('replays a tRPC mutation sent through the SDK with idempotent(key)', async () => {
    const key = randomUUID();
    const first = await ws.trpc.contacts.create.mutate({ externalId: 'idem-trpc' }, idempotent(key));
    const again = await ws.trpc.contacts.create.mutate({ externalId: 'idem-trpc' }, idempotent(key));
    expect(again).toEqual(first);
    expect(await contactCount(ws, 'idem-trpc')).toBe(1);
    const reused = await ws.trpc.contacts.create.mutate({ externalId: 'idem-trpc-2' }, idempotent(key)).then(
      () => undefined,
      (error: unknown) => TaggingApiError.from(error),
    );
    expect(reused).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', status: 422 });
  });

  it('replays the raw tRPC response, with the header on the wire', async () => {
    const key = randomUUID();
    const send = () =>
      restCall(server, 'POST', '/trpc/tags.create', {
        body: { name: 'Idem tRPC' },
        apiKey: ws.apiKey,
        headers: { 'idempotency-key': key },
      });
    const first = await send();
    const second = await send();
    expect(first.status).toBe(200);
    expect(second).toMatchObject({ status: 200, body: first.body });
    expect(second.headers.get('idempotent-replayed')).toBe('true');
  });

  it('a tRPC batch replayed in another answer format (trpc-accept) is another request: 422', async () => {
    const key = randomUUID();
    const send = (headers: Record<string, string>) =>
      fetch(`${server.url}/trpc/tags.create?batch=1`, {
        method: 'POST',
        body: JSON.stringify({ 0: { name: 'Idem tRPC stream' } }),
        headers: {
          authorization: `Bearer ${ws.apiKey}`,
          'content-type': 'application/json',
          'idempotency-key': key,
          ...headers,
        },
      });
    expect((await send({ 'trpc-accept': 'application/jsonl' })).status).toBe(200);
    expect((await send({})).status).toBe(422);
    const again = await send({ 'trpc-accept': 'application/jsonl' });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('replays a GraphQL mutation and refuses a reused key in GraphQL’s shape', async () => {
    const key = randomUUID();
    const createTag = (tag: string) => ({
      query: 'mutation createTag($input: TagCreateInput!) { createTag(input: $input) { id tag } }',
      variables: { input: { workspaceId: ws.id, type: 'conversation', tag, order: 1 } },
    });
    const gq = (body: unknown) =>
      restCall(server, 'POST', '/core/gq', { body, headers: { authorization: ws.apiKey, 'idempotency-key': key } });
    const first = await gq(createTag('idem-gq'));
    expect(first.body).toMatchObject({ data: { createTag: { tag: 'idem-gq' } } });
    const second = await gq(createTag('idem-gq'));
    expect(second).toMatchObject({ status: first.status, body: first.body });
    const reused = await gq(createTag('idem-gq-2'));
    expect(reused).toMatchObject({
      status: 422,
      body: { errors: [{ extensions: { code: 'IDEMPOTENCY_KEY_REUSED' } }] },
    });
  });

  describe('a refused GraphQL mutation (answered 200) releases its key, as REST’s 400 or 403 (session 24)', () => {
    const gq = (key: string, body: unknown) =>
      restCall(server, 'POST', '/core/gq', { body, headers: { authorization: ws.apiKey, 'idempotency-key': key } });
    const createTag = (tag: string, workspaceId = ws.id, alias = 'createTag') => ({
      query: `mutation { ${alias}: createTag(input: { workspaceId: ${workspaceId}, type: conversation, tag: ${JSON.stringify(tag)} }) { id tag } }`,
    });

    it('invalid input, then the corrected request with the same key runs', async () => {
      const key = randomUUID();
      const refused = await gq(key, createTag(''));
      expect(refused.body).toMatchObject({ errors: [{ extensions: { code: 'VALIDATION_ERROR' } }] });
      const corrected = await gq(key, createTag('idem-gq-corrected'));
      expect(corrected.body).toMatchObject({ data: { createTag: { tag: 'idem-gq-corrected' } } });
      expect(corrected.headers.get('idempotent-replayed')).toBeNull();
      expect((await gq(key, createTag('idem-gq-corrected'))).headers.get('idempotent-replayed')).toBe('true');
    });

    it('another workspace (403), then the corrected request runs', async () => {
      const key = randomUUID();
      const refused = await gq(key, createTag('idem-gq-elsewhere', other.id));
      expect(refused.body).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN' } }] });
      expect((await gq(key, createTag('idem-gq-here'))).body).toMatchObject({
        data: { createTag: { tag: 'idem-gq-here' } },
      });
    });

    it('an outcome (a duplicate name, 409) is kept and replayed', async () => {
      await gq(randomUUID(), createTag('idem-gq-taken'));
      const key = randomUUID();
      const duplicate = await gq(key, createTag('idem-gq-taken'));
      expect(duplicate.body).toMatchObject({ errors: [{ extensions: { code: 'CONFLICT' } }] });
      expect((await gq(key, createTag('idem-gq-other'))).status).toBe(422);
    });

    it('once a mutation of the document has run, its failure is kept: a retry cannot run the first twice', async () => {
      const key = randomUUID();
      const body = {
        query: `mutation { ran: createTag(input: { workspaceId: ${ws.id}, type: conversation, tag: "idem-gq-ran" }) { id }
          refused: createTag(input: { workspaceId: ${ws.id}, type: conversation, tag: "" }) { id } }`,
      };
      const first = await gq(key, body);
      expect(first.body).toMatchObject({ errors: [{ extensions: { code: 'VALIDATION_ERROR' } }] });
      const retry = await gq(key, body);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body).toEqual(first.body);
    });
  });
});

describe('Idempotency-Key on a response that shows a secret', () => {
  /** Every stored response (body and headers) of the key, as text: a secret must be in none. */
  const storedText = async (key: string) => {
    const rows = await server.db
      .fork()
      .execute<Record<string, unknown>[]>('select * from idempotency_key where key = ?', [key]);
    expect(rows).toHaveLength(1);
    return JSON.stringify(rows);
  };

  it('never stores a new API key: the replay is a 409 without it, on REST and tRPC', async () => {
    const key = randomUUID();
    const first = await post('/api/api-keys', { name: 'idem-secret', scope: 'read' }, key);
    expect(first.status).toBe(201);
    const secret = (first.body as { secret: string }).secret;
    expect(secret).toMatch(/\S{16,}/);
    expect(await storedText(key)).not.toContain(secret);
    const again = await post('/api/api-keys', { name: 'idem-secret', scope: 'read' }, key);
    expect(again).toMatchObject({
      status: 409,
      body: { code: expect.any(String), message: expect.stringContaining('shown once') },
    });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(JSON.stringify(again.body)).not.toContain(secret);
    // One key was created, not two.
    const [row] = await server.db
      .fork()
      .execute<{ count: number }[]>(
        "select count(*)::int as count from api_key where workspace_id = ? and name = 'idem-secret'",
        [ws.id],
      );
    expect(row?.count).toBe(1);

    const trpcKey = randomUUID();
    const created = await ws.trpc.apiKeys.create.mutate(
      { name: 'idem-trpc-secret', scope: 'read' },
      idempotent(trpcKey),
    );
    expect(await storedText(trpcKey)).not.toContain(created.secret);
    const replay = await ws.trpc.apiKeys.create
      .mutate({ name: 'idem-trpc-secret', scope: 'read' }, idempotent(trpcKey))
      .then(
        () => undefined,
        (error: unknown) => TaggingApiError.from(error),
      );
    expect(replay).toMatchObject({ status: 409 });
  });

  it('never stores a webhook signing secret, on create or rotation', async () => {
    const key = randomUUID();
    const created = await post('/api/webhooks/endpoints', { url: 'https://hooks.example.com/idem' }, key);
    expect(created.status).toBe(201);
    const endpoint = created.body as { id: string; secret: string };
    expect(await storedText(key)).not.toContain(endpoint.secret);
    expect((await post('/api/webhooks/endpoints', { url: 'https://hooks.example.com/idem' }, key)).status).toBe(409);

    const rotateKey = randomUUID();
    const rotated = await post(`/api/webhooks/endpoints/${endpoint.id}/rotate-secret`, {}, rotateKey);
    expect(rotated.status).toBe(200);
    const newSecret = (rotated.body as { secret: string }).secret;
    expect(newSecret).not.toBe(endpoint.secret);
    expect(await storedText(rotateKey)).not.toContain(newSecret);
    const again = await post(`/api/webhooks/endpoints/${endpoint.id}/rotate-secret`, {}, rotateKey);
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.body)).not.toContain(newSecret);
  });
});

async function apiKeyIdOf(workspace: WorkspaceFixture): Promise<string> {
  const [row] = await server.db
    .fork()
    .execute<{ id: string }[]>('select id from api_key where workspace_id = ?', [workspace.id]);
  if (!row) throw new Error('no key');
  return row.id;
}
