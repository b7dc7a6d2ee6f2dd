import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, revokeApiKey } from '@tagging/domain';
import { cachedAuthentication } from '../src/auth/caller-cache.ts';
import { restCall, startTestServer, type TestServer, type TestWorkspace } from '../testing/test-server.ts';

// The production setting remembers a key's caller briefly (API_KEY_CACHE_MS); what that may and
// may not change is tested here, with a short time so the test stays quick.
const cacheMs = 1000;

describe('remembered callers', () => {
  let server: TestServer;
  let workspace: TestWorkspace;
  beforeAll(async () => {
    server = await startTestServer({ callerCacheMs: cacheMs });
    workspace = await server.newWorkspace();
  });
  afterAll(() => server.close());

  it('a revoked key stops working once its remembered caller expires, not later', async () => {
    const key = await createApiKey(server.db.fork(), workspace.id, { name: 'short-lived' });
    const remembered = Date.now();
    expect((await restCall(server, 'GET', '/api/tags', { apiKey: key.secret })).status).toBe(200);
    await revokeApiKey(server.db.fork(), key.id);
    const soon = await restCall(server, 'GET', '/api/tags', { apiKey: key.secret });
    // Still remembered, unless this machine stalled past the whole time.
    if (Date.now() - remembered < cacheMs) expect(soon.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, cacheMs + 50));
    const after = await restCall(server, 'GET', '/api/tags', { apiKey: key.secret });
    expect(after.status).toBe(401);
  });

  it('an expiring key is not remembered past its expiry', async () => {
    const expiresAt = new Date(Date.now() + 300).toISOString();
    const key = await createApiKey(server.db.fork(), workspace.id, { name: 'expiring', expiresAt });
    expect((await restCall(server, 'GET', '/api/tags', { apiKey: key.secret })).status).toBe(200);
    // Well inside the cache's second, but past the key's expiry.
    await new Promise((resolve) => setTimeout(resolve, Date.parse(expiresAt) - Date.now() + 20));
    expect((await restCall(server, 'GET', '/api/tags', { apiKey: key.secret })).status).toBe(401);
  });

  it('an unknown key is not remembered: once created it works at once', async () => {
    const secret = `tgk_${'z'.repeat(40)}`;
    expect((await restCall(server, 'GET', '/api/tags', { apiKey: secret })).status).toBe(401);
    await createApiKey(server.db.fork(), workspace.id, { secret });
    expect((await restCall(server, 'GET', '/api/tags', { apiKey: secret })).status).toBe(200);
  });

  it('answers a remembered key at once, without a promise; a key it does not know after a lookup', async () => {
    const authenticate = cachedAuthentication(server.db, cacheMs);
    const first = authenticate(workspace.apiKey);
    expect(first).toBeInstanceOf(Promise);
    const caller = await first;
    expect(caller).toMatchObject({ workspaceId: workspace.id });
    expect(authenticate(workspace.apiKey)).toEqual(caller);
    const unknown = authenticate(`tgk_${'y'.repeat(40)}`);
    expect(unknown).toBeInstanceOf(Promise);
    expect(await unknown).toBeNull();
  });

  it('a remembered key still acts only in its own workspace', async () => {
    const other = await server.newWorkspace('other');
    await restCall(server, 'GET', '/api/tags', { apiKey: workspace.apiKey });
    const response = await restCall(server, 'GET', `/api/tags?workspaceId=${other.id}`, { apiKey: workspace.apiKey });
    expect(response.status).toBe(403);
  });
});
