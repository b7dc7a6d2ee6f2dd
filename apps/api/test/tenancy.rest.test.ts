import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeApiKey, createApiKey } from '@tagging/domain';
import { restCall, startTestServer, type TestServer, type TestWorkspace } from '../testing/test-server.ts';
import { fixture, type WorkspaceFixture } from '../testing/workspace-fixture.ts';

/**
 * The tenancy matrix, generated from the served OpenAPI document so that every REST route is in
 * it, including routes added later: no key, a bad key, a revoked or expired key → 401; workspace
 * A's key on workspace B's ids → 404; A's key naming workspaceId=B → 403; never a byte of B's
 * data. Scopes: a `read` key → 403 on every write route, a `write` key → 403 on the API-key routes.
 */
let server: TestServer;
let a: TestWorkspace;
let b: WorkspaceFixture;
let revokedKey: string;
let expiredKey: string;
/** A's keys of each scope below admin. */
const scoped: Record<'read' | 'write', string> = { read: '', write: '' };
const bIds: Record<string, string> = {};
const bSecrets = ['B-secret-tag', 'B-secret-contact', 'B-secret-session'];

type Operation = { method: string; path: string };
let operations: Operation[] = [];

/** A body that passes validation, so the check under test is the one that answers. */
const validBody = (op: Operation): unknown => {
  if (op.method === 'GET' || op.method === 'DELETE') return undefined;
  if (op.path.endsWith('/bulk'))
    return op.path.startsWith('/contacts') ? { contacts: [{ name: 'x' }] } : { sessions: [{ name: 'x' }] };
  if (op.path === '/tags') return { name: `tenancy ${Math.random()}` };
  if (op.path === '/exports') return {};
  if (op.path === '/api-keys') return { name: 'tenancy', scope: 'read' };
  if (op.path === '/tags/bulk') return { patches: [{ id: bIds.tags, order: 1 }] };
  if (op.path === '/tags/{id}/merge') return { sourceTagIds: [bIds.tags] };
  if (op.path === '/v1/tags') return { name: `zapini ${Math.random()}`.slice(0, 40), color: '#123456' };
  if (op.path.startsWith('/v1/conversations/')) return { tag_ids: [] };
  if (op.path.startsWith('/entity-tags/bulk/'))
    return { tagId: bIds.tags, entities: [{ entityType: 'contact', entityId: bIds.contacts }] };
  if (op.path.startsWith('/entity-tags/') && op.path.endsWith('/tags')) return { tagId: bIds.tags };
  if (op.path.startsWith('/entity-tags/') || op.path.includes('/contacts/{contactId}')) return {};
  if (op.path === '/webhooks/endpoints/{id}') return { description: 'renamed by A' };
  if (op.path.startsWith('/webhooks/endpoints/{id}/')) return {};
  return { name: 'renamed by A' };
};

/** The error body of a route's dialect: Zapini's envelope under /v1, ours elsewhere. */
const errorBody = (op: Operation, code: string) => (op.path.startsWith('/v1/') ? { success: false } : { code });

/** The route with B's ids in every path parameter. */
const pathFor = (op: Operation) =>
  `/api${op.path
    .replace('{id}', bIds[op.path.split('/')[1] ?? ''] ?? 'missing')
    .replace('{tagId}', bIds.tags ?? '')
    .replace('{contactId}', bIds.contacts ?? '')
    .replace('{sessionId}', bIds.sessions ?? '')
    .replace('{jobId}', 'job_01a20800-0000-7000-8000-000000000000')
    .replace('{uuid}', (op.path.startsWith('/v1/tags') ? bIds.tags : bIds.sessions) ?? '')}`;

beforeAll(async () => {
  server = await startTestServer();
  a = await server.newWorkspace('A');
  b = await fixture(server, 'B');
  const revoked = await createApiKey(server.db.fork(), a.id, { name: 'old' });
  await revokeApiKey(server.db.fork(), revoked.id);
  revokedKey = revoked.secret;
  const expired = await createApiKey(server.db.fork(), a.id, { name: 'expired' });
  await server.db
    .fork()
    .execute(`update api_key set expires_at = now() - interval '1 second' where id = ?`, [expired.id]);
  expiredKey = expired.secret;
  for (const scope of ['read', 'write'] as const)
    scoped[scope] = (await createApiKey(server.db.fork(), a.id, { name: scope, scope })).secret;

  const contact = await b.contact({ name: bSecrets[1] });
  bIds.tags = (await b.tag({ name: bSecrets[0] })).id;
  bIds.contacts = contact.id;
  bIds.sessions = (await b.sessionOf(contact, { name: bSecrets[2] })).id;

  const { data: exported } = await b.rest.POST('/exports', { body: {} });
  if (!exported) throw new Error('B could not export');
  bIds.exports = exported.id;
  const { data: bKeys } = await b.rest.GET('/api-keys');
  bIds['api-keys'] = bKeys?.apiKeys[0]?.id ?? 'missing';

  const doc = (await restCall(server, 'GET', '/openapi.json')).body as {
    paths: Record<string, Record<string, unknown>>;
  };
  operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => ({ method: method.toUpperCase(), path })),
  );
});
afterAll(() => server.close());

const keyCases = [
  ['no key', undefined],
  ['a malformed key', 'nope'],
  ['an unknown key', 'tgk_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG'],
] as const;

describe('tenancy matrix over every REST route', () => {
  it('covers the routes of the document', () => {
    expect(operations.length).toBeGreaterThanOrEqual(17);
  });

  it.each(keyCases)('answers %s with 401 on every route', async (_label, apiKey) => {
    for (const op of operations) {
      const response = await restCall(server, op.method, pathFor(op), {
        body: validBody(op),
        ...(apiKey ? { apiKey } : {}),
      });
      expect(response.status, `${op.method} ${op.path}`).toBe(401);
      expect(response.body).toMatchObject(errorBody(op, 'UNAUTHORIZED'));
    }
  });

  it.each([
    ['a revoked', () => revokedKey],
    ['an expired', () => expiredKey],
  ])('answers %s key with 401 on every route', async (_label, key) => {
    for (const op of operations) {
      const response = await restCall(server, op.method, pathFor(op), { body: validBody(op), apiKey: key() });
      expect(response.status, `${op.method} ${op.path}`).toBe(401);
      expect(response.body).toMatchObject(errorBody(op, 'UNAUTHORIZED'));
    }
  });

  it("answers a read key with 403 on every write route, in the route's dialect, and changes nothing", async () => {
    const before = await restCall(server, 'GET', '/api/tags', { apiKey: a.apiKey });
    const writes = operations.filter((op) => op.method !== 'GET');
    expect(writes.length).toBeGreaterThanOrEqual(20);
    for (const op of writes) {
      // A's own workspace, so that the scope is the only reason to refuse.
      const query = op.path.startsWith('/entity-tags/') ? `?workspaceId=${a.id}` : '';
      const response = await restCall(server, op.method, `${pathFor(op)}${query}`, {
        body: validBody(op),
        apiKey: scoped.read,
      });
      expect(response.status, `${op.method} ${op.path}`).toBe(403);
      expect(response.body, `${op.method} ${op.path}`).toMatchObject(errorBody(op, 'FORBIDDEN'));
    }
    expect((await restCall(server, 'GET', '/api/tags', { apiKey: a.apiKey })).body).toEqual(before.body);
  });

  it('lets a read key through every read route but the API-key list', async () => {
    for (const op of operations.filter((o) => o.method === 'GET')) {
      const query = op.path.startsWith('/entity-tags/') ? `?workspaceId=${a.id}` : '';
      const response = await restCall(server, op.method, `${pathFor(op)}${query}`, { apiKey: scoped.read });
      // B's ids in the path: 404; lists: 200. Never a refusal of the key.
      if (op.path === '/api-keys') expect(response.status).toBe(403);
      else expect([200, 404], `${op.method} ${op.path}`).toContain(response.status);
    }
  });

  it('answers a write key with 403 on the API-key routes only', async () => {
    const keyRoutes = operations.filter((op) => op.path.startsWith('/api-keys'));
    expect(keyRoutes.map((op) => `${op.method} ${op.path}`).sort()).toEqual([
      'DELETE /api-keys/{id}',
      'GET /api-keys',
      'POST /api-keys',
    ]);
    for (const op of keyRoutes) {
      const response = await restCall(server, op.method, pathFor(op), { body: validBody(op), apiKey: scoped.write });
      expect(response.status, `${op.method} ${op.path}`).toBe(403);
      expect(response.body).toMatchObject({ code: 'FORBIDDEN' });
    }
    const created = await restCall(server, 'POST', '/api/tags', {
      body: { name: 'by a write key' },
      apiKey: scoped.write,
    });
    expect(created.status).toBe(201);
  });

  it("answers A's key on B's ids with 404 and shows nothing of B", async () => {
    for (const op of operations.filter((o) => o.path.includes('{'))) {
      // The Entity Tags routes name the workspace in the query string; A names its own.
      const query = op.path.startsWith('/entity-tags/') ? `?workspaceId=${a.id}` : '';
      const body = validBody(op);
      const response = await restCall(server, op.method, `${pathFor(op)}${query}`, { body, apiKey: a.apiKey });
      expect(response.status, `${op.method} ${op.path}`).toBe(404);
      const text = JSON.stringify(response.body);
      for (const secret of bSecrets) expect(text).not.toContain(secret);
      // B's ids too, but those the request sent itself (a 404 may name the id it did not find).
      const sent = `${pathFor(op)} ${JSON.stringify(body)}`;
      for (const id of Object.values(bIds))
        if (!sent.includes(id)) expect(text, `${op.method} ${op.path}`).not.toContain(id);
    }
  });

  it("answers A's key naming workspaceId=B with 403 on every route", async () => {
    for (const op of operations) {
      const response = await restCall(server, op.method, `${pathFor(op)}?workspaceId=${b.id}`, {
        body: validBody(op),
        apiKey: a.apiKey,
      });
      expect(response.status, `${op.method} ${op.path}`).toBe(403);
      expect(response.body).toMatchObject(errorBody(op, 'FORBIDDEN'));
    }
  });

  it('ignores query parameters a route does not take, on every route, writes as reads', async () => {
    // Its own workspaceId and an unknown parameter change nothing: each route answers as it
    // does without them (B's ids in the path: 404; lists and creates: their success).
    const statuses = async (query: string) => {
      const answered: string[] = [];
      for (const op of operations) {
        const response = await restCall(server, op.method, `${pathFor(op)}${query}`, {
          body: validBody(op),
          apiKey: a.apiKey,
        });
        answered.push(`${op.method} ${op.path} ${response.status}`);
      }
      return answered;
    };
    const without = await statuses(`?workspaceId=${a.id}`);
    expect(without.filter((line) => line.endsWith(' 400')).length).toBeLessThan(4);
    expect(await statuses(`?workspaceId=${a.id}&notAParameter=1`)).toEqual(without);
  });

  it('answers a workspaceId that is not a workspace id with 400 on it, on every route', async () => {
    for (const workspaceId of ['02', 'abc', `${a.id}&workspaceId=${a.id}`]) {
      for (const op of operations) {
        const response = await restCall(server, op.method, `${pathFor(op)}?workspaceId=${workspaceId}`, {
          body: validBody(op),
          apiKey: a.apiKey,
        });
        expect(response.status, `${op.method} ${op.path} ${workspaceId}`).toBe(400);
        expect(JSON.stringify(response.body), `${op.method} ${op.path}`).toContain('workspaceId');
      }
    }
  });

  it("left B's data untouched", async () => {
    const asB = (path: string) => restCall(server, 'GET', path, { apiKey: b.apiKey });
    expect((await asB(`/api/tags/${bIds.tags}`)).body).toMatchObject({ name: bSecrets[0] });
    expect((await asB(`/api/contacts/${bIds.contacts}`)).body).toMatchObject({ name: bSecrets[1] });
    expect((await asB(`/api/sessions/${bIds.sessions}`)).body).toMatchObject({
      name: bSecrets[2],
      contactId: bIds.contacts,
    });
    const lists = await Promise.all(['/api/tags', '/api/contacts', '/api/sessions'].map((path) => asB(path)));
    for (const list of lists) expect(JSON.stringify(list.body)).not.toContain('renamed by A');
  });

  it("lists only the caller's own records", async () => {
    for (const path of ['/api/tags', '/api/contacts', '/api/sessions']) {
      const response = await restCall(server, 'GET', path, { apiKey: a.apiKey });
      expect(response.status).toBe(200);
      for (const secret of bSecrets) expect(JSON.stringify(response.body)).not.toContain(secret);
    }
  });
});

describe('API key forms', () => {
  it('accepts Bearer and bare keys, and workspaceId naming the own workspace', async () => {
    const bearer = await restCall(server, 'GET', '/api/contacts', { headers: { authorization: `Bearer ${a.apiKey}` } });
    const bare = await restCall(server, 'GET', '/api/contacts', { headers: { authorization: a.apiKey } });
    const named = await restCall(server, 'GET', `/api/contacts?workspaceId=${a.id}`, { apiKey: a.apiKey });
    expect([bearer.status, bare.status, named.status]).toEqual([200, 200, 200]);
  });

  it('refuses a key the moment it is revoked', async () => {
    const key = await createApiKey(server.db.fork(), a.id, { name: 'short-lived' });
    expect((await restCall(server, 'GET', '/api/tags', { apiKey: key.secret })).status).toBe(200);
    await revokeApiKey(server.db.fork(), key.id);
    expect((await restCall(server, 'GET', '/api/tags', { apiKey: key.secret })).status).toBe(401);
  });

  it('takes an expiry with any ISO 8601 offset as its instant, and refuses one in the past', async () => {
    // PostgreSQL reads offsets up to ±15:59 only; ISO 8601 (and the schema) allows ±23:59.
    for (const [expiresAt, instant] of [
      ['2104-02-29T08:04:40-23:54', '2104-03-01T07:58:40.000Z'],
      ['2099-06-01T00:00:00+23:59', '2099-05-31T00:01:00.000Z'],
      ['2099-06-01T12:00:00Z', '2099-06-01T12:00:00.000Z'],
    ]) {
      const created = await restCall(server, 'POST', '/api/api-keys', {
        body: { name: 'offset', scope: 'read', expiresAt },
        apiKey: a.apiKey,
      });
      expect(created.status, expiresAt).toBe(201);
      expect(created.body, expiresAt).toMatchObject({ expiresAt: instant });
    }
    // In the past, or in the year 10000 once in UTC: refused, on expiresAt.
    for (const expiresAt of ['2001-01-01T00:00:00-23:00', '9999-12-31T23:59:59-23:59', '9999-12-31T23:00:00-01:00']) {
      const refused = await restCall(server, 'POST', '/api/api-keys', {
        body: { scope: 'read', expiresAt },
        apiKey: a.apiKey,
      });
      expect(refused.status, expiresAt).toBe(400);
      expect(refused.body).toMatchObject({ code: 'VALIDATION_ERROR', issues: [{ path: ['expiresAt'] }] });
    }
    const last = await restCall(server, 'POST', '/api/api-keys', {
      body: { scope: 'read', expiresAt: '9999-12-31T23:59:59.999Z' },
      apiKey: a.apiKey,
    });
    expect(last.body).toMatchObject({ expiresAt: '9999-12-31T23:59:59.999Z' });
  });

  it('stores only a hash of the secret', async () => {
    const rows = await server.db.fork().execute<Record<string, unknown>[]>('select * from api_key');
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(a.apiKey);
    expect(dump).not.toContain(b.apiKey);
  });
});
