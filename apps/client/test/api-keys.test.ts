import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApiKey } from '@tagging/domain';
import { startTestServer, type TestServer } from '@tagging/api/testing';
import {
  createTaggingClient,
  createTaggingRestClient,
  unwrap,
  type TaggingClient,
  type TaggingRestClient,
} from '../src/index.ts';
import { failure } from './support/call-failure.ts';

/**
 * API keys managed by an admin key over tRPC and REST through the SDK (issue 19): list, create
 * (the secret once), revoke; scopes, expiry and the last-used time as a client sees them.
 */
let server: TestServer;
let workspaceId: number;
let admin: TaggingClient;
let adminRest: TaggingRestClient;

const clientsOf = (apiKey: string) => ({
  trpc: createTaggingClient({ baseUrl: server.url, apiKey }),
  rest: createTaggingRestClient({ baseUrl: server.url, apiKey }),
});

beforeAll(async () => {
  server = await startTestServer();
  const ws = await server.newWorkspace('Keys');
  workspaceId = ws.id;
  ({ trpc: admin, rest: adminRest } = clientsOf(ws.apiKey));
});
afterAll(() => server.close());

describe('an admin key manages the workspace’s keys', () => {
  it('creates a key over tRPC and REST, showing the secret in the create response only', async () => {
    const overTrpc = await admin.apiKeys.create.mutate({ name: 'ci', scope: 'write' });
    const overRest = await unwrap(adminRest.POST('/api-keys', { body: { name: 'dashboard', scope: 'read' } }));
    for (const [key, scope] of [
      [overTrpc, 'write'],
      [overRest, 'read'],
    ] as const) {
      expect(key).toMatchObject({ workspaceId, scope, expiresAt: null, lastUsedAt: null, revokedAt: null });
      expect(key.id).toMatch(/^key_/);
      expect(key.secret).toMatch(/^tgk_/);
      expect(key.hint).toBe(key.secret.slice(0, 8));
    }
    const listed = await admin.apiKeys.list.query({});
    const overRestList = await unwrap(adminRest.GET('/api-keys'));
    expect(overRestList).toEqual(listed);
    expect(listed.apiKeys.map((key) => key.id)).toEqual(expect.arrayContaining([overTrpc.id, overRest.id]));
    const text = JSON.stringify(listed);
    expect(text).not.toContain(overTrpc.secret);
    expect(text).not.toContain(overRest.secret);
    expect(listed.apiKeys.every((key) => !('secret' in key))).toBe(true);
    // The new keys work, each with its scope.
    const asRead = clientsOf(overRest.secret);
    expect((await asRead.trpc.tags.list.query({})).tags).toEqual([]);
    const refused = await failure(asRead.trpc.tags.create.mutate({ name: 'nope' }));
    expect([refused.status, refused.code]).toEqual([403, 'FORBIDDEN']);
    const asWrite = clientsOf(overTrpc.secret);
    expect((await asWrite.trpc.tags.create.mutate({ name: 'by ci' })).name).toBe('by ci');
  });

  it('revokes a key at once, over REST and tRPC; revoking twice is harmless', async () => {
    const key = await admin.apiKeys.create.mutate({ scope: 'read' });
    const asKey = clientsOf(key.secret);
    await asKey.trpc.tags.list.query({});
    const revoked = await unwrap(adminRest.DELETE('/api-keys/{id}', { params: { path: { id: key.id } } }));
    expect(revoked.revokedAt).not.toBeNull();
    expect((await failure(asKey.trpc.tags.list.query({}))).status).toBe(401);
    expect((await failure(unwrap(asKey.rest.GET('/tags')))).status).toBe(401);
    const again = await admin.apiKeys.revoke.mutate({ id: key.id });
    expect(again.revokedAt).toBe(revoked.revokedAt);
    expect((await admin.apiKeys.list.query({})).apiKeys.find((listed) => listed.id === key.id)?.revokedAt).toBe(
      revoked.revokedAt,
    );
  });

  it('an admin key can create another admin key, which manages keys in turn', async () => {
    const second = await admin.apiKeys.create.mutate({ name: 'second admin', scope: 'admin' });
    const { trpc } = clientsOf(second.secret);
    expect((await trpc.apiKeys.list.query({})).apiKeys.some((key) => key.id === second.id)).toBe(true);
  });

  it('does not find another workspace’s keys', async () => {
    const other = await server.newWorkspace('Other');
    const [otherKey] = (await clientsOf(other.apiKey).trpc.apiKeys.list.query({})).apiKeys;
    if (!otherKey) throw new Error('the other workspace has a key');
    expect(JSON.stringify(await admin.apiKeys.list.query({}))).not.toContain(otherKey.id);
    const notFound = await failure(admin.apiKeys.revoke.mutate({ id: otherKey.id }));
    expect([notFound.status, notFound.code]).toEqual([404, 'NOT_FOUND']);
    const overRest = await failure(
      unwrap(adminRest.DELETE('/api-keys/{id}', { params: { path: { id: otherKey.id } } })),
    );
    expect(overRest.status).toBe(404);
    // Still working.
    expect((await clientsOf(other.apiKey).trpc.tags.list.query({})).tags).toEqual([]);
  });

  it('refuses a create without a scope, with an unknown scope, or expiring in the past (400)', async () => {
    const bodies: unknown[] = [
      { name: 'no scope' },
      { scope: 'owner' },
      { scope: 'read', expiresAt: new Date(Date.now() - 60_000).toISOString() },
      { scope: 'read', expiresAt: 'tomorrow' },
    ];
    for (const body of bodies) {
      const error = await failure(unwrap(adminRest.POST('/api-keys', { body: body as never })));
      expect([JSON.stringify(body), error.status, error.code]).toEqual([JSON.stringify(body), 400, 'VALIDATION_ERROR']);
    }
  });
});

describe('keys that are not admin', () => {
  it.each(['read', 'write'] as const)(
    'a %s key is refused key management with 403 on both transports',
    async (scope) => {
      const key = await admin.apiKeys.create.mutate({ scope });
      const { trpc, rest } = clientsOf(key.secret);
      const calls = [
        () => trpc.apiKeys.list.query({}),
        () => trpc.apiKeys.create.mutate({ scope: 'admin' }),
        () => trpc.apiKeys.revoke.mutate({ id: key.id }),
        () => unwrap(rest.GET('/api-keys')),
        () => unwrap(rest.POST('/api-keys', { body: { scope: 'admin' } })),
        () => unwrap(rest.DELETE('/api-keys/{id}', { params: { path: { id: key.id } } })),
      ];
      for (const call of calls) {
        const error = await failure(call());
        expect([error.status, error.code]).toEqual([403, 'FORBIDDEN']);
        expect(error.message).toMatch(/admin/);
      }
      // Nothing was created or revoked.
      const listed = (await admin.apiKeys.list.query({})).apiKeys;
      expect(listed.find((listedKey) => listedKey.id === key.id)?.revokedAt).toBeNull();
    },
  );
});

describe('expiry and last use', () => {
  it('an expired key is refused with 401, and listed with its expiry', async () => {
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const key = await admin.apiKeys.create.mutate({ scope: 'read', expiresAt });
    expect(key.expiresAt).toBe(expiresAt);
    const { trpc, rest } = clientsOf(key.secret);
    await trpc.tags.list.query({});
    await vi.waitFor(async () => expect((await failure(trpc.tags.list.query({}))).status).toBe(401), {
      timeout: 5000,
      interval: 200,
    });
    const overRest = await failure(unwrap(rest.GET('/tags')));
    expect([overRest.status, overRest.code]).toEqual([401, 'UNAUTHORIZED']);
  });

  it('records the last use once a minute at most, without the request waiting for it', async () => {
    const key = await createApiKey(server.db.fork(), workspaceId, { name: 'tracked', scope: 'read' });
    const lastUsed = async () =>
      (await admin.apiKeys.list.query({})).apiKeys.find((listed) => listed.id === key.id)?.lastUsedAt;
    expect(await lastUsed()).toBeNull();
    const { trpc } = clientsOf(key.secret);
    const before = Date.now();
    await trpc.tags.list.query({});
    await server.app.keyUse.settled();
    const first = await lastUsed();
    expect(first).not.toBeNull();
    expect(Date.parse(first ?? '')).toBeGreaterThanOrEqual(before - 1000);
    // Later requests within the minute write nothing.
    await trpc.tags.list.query({});
    await trpc.tags.list.query({});
    await server.app.keyUse.settled();
    expect(await lastUsed()).toBe(first);
  });
});
