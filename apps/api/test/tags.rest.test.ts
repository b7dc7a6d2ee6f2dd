import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restCall, startTestServer, type TestServer } from '../testing/test-server.ts';
import { fixture, type WorkspaceFixture } from '../testing/workspace-fixture.ts';

let server: TestServer;
let ws: WorkspaceFixture;
let other: WorkspaceFixture;

beforeAll(async () => {
  server = await startTestServer();
  ws = await fixture(server, 'Acme');
  other = await fixture(server, 'Other');
});
afterAll(() => server.close());

const byId = (id: string) => ({ params: { path: { id } } });

const tagCount = async () => {
  const [row] = await server.db.fork().execute<{ n: number }[]>('select count(*)::int as n from tag');
  return row?.n;
};

describe('POST /api/tags', () => {
  it('creates a tag with defaults and returns it with 201', async () => {
    const { data: tag, response } = await ws.rest.POST('/tags', {
      body: { name: '  VIP  ', color: 'blue', emoji: '⭐' },
    });
    expect(response.status).toBe(201);
    expect(tag).toMatchObject({
      name: 'VIP',
      color: 'blue',
      emoji: '⭐',
      type: 'common',
      description: null,
      contactsCount: 0,
      sessionsCount: 0,
      workspaceId: ws.id,
    });
    expect(tag?.id).toMatch(/^wtag_[0-9a-f-]{36}$/);
    expect(Date.parse(tag?.createdAt ?? '')).not.toBeNaN();
  });

  it('puts new tags last unless an order is given', async () => {
    const first = await ws.tag({ name: 'Order A' });
    const { data: second, response } = await ws.rest.POST('/tags', {
      body: { name: 'Order B', type: 'clientStage', description: 'stage', color: '#FF5733' },
    });
    expect(response.status).toBe(201);
    expect(second?.order).toBe(first.order + 1);
    expect(second).toMatchObject({ type: 'clientStage', description: 'stage', color: '#FF5733' });
    const pinned = await ws.tag({ name: 'Order C', order: -5 });
    expect(pinned.order).toBe(-5);
  });

  it('refuses a name already used in the workspace, ignoring case, with 409', async () => {
    await ws.tag({ name: 'Follow Up' });
    const before = await tagCount();
    const { error, response } = await ws.rest.POST('/tags', { body: { name: 'fOLLOW uP' } });
    expect(response.status).toBe(409);
    // The message names the tag that exists, not what was typed.
    expect(error).toMatchObject({ code: 'CONFLICT', message: 'a tag named "Follow Up" already exists' });
    expect(await tagCount()).toBe(before);
  });

  it('allows the same name in another workspace', async () => {
    await ws.tag({ name: 'Shared name' });
    expect((await other.rest.POST('/tags', { body: { name: 'Shared name' } })).response.status).toBe(201);
  });

  it('gives one 201 and one 409 for two concurrent creates of the same name, never a 500', async () => {
    for (let round = 0; round < 5; round++) {
      const name = `Race ${round}`;
      const responses = await Promise.all([
        ws.rest.POST('/tags', { body: { name } }),
        ws.rest.POST('/tags', { body: { name: name.toUpperCase() } }),
      ]);
      expect(responses.map((r) => r.response.status).sort()).toEqual([201, 409]);
      const [row] = await server.db
        .fork()
        .execute<{ n: number }[]>(
          'select count(*)::int as n from tag where workspace_id = ? and lower(name) = lower(?)',
          [ws.id, name],
        );
      expect(row?.n).toBe(1);
    }
  });

  // Bodies the typed client refuses to build: sent raw.
  it.each([
    [{}, ['name']],
    [{ name: '' }, ['name']],
    [{ name: '   ' }, ['name']],
    [{ name: 'x'.repeat(101) }, ['name']],
    [{ name: 'ok', color: 'not a color!' }, ['color']],
    [{ name: 'ok', color: '#12345' }, ['color']],
    [{ name: 'ok', emoji: 'ab' }, ['emoji']],
    [{ name: 'ok', emoji: '⭐⭐' }, ['emoji']],
    [{ name: 'ok', type: 'vip' }, ['type']],
    [{ name: 'ok', order: 1.5 }, ['order']],
    [{ name: 123 }, ['name']],
  ])('rejects %j with 400 naming the field', async (body, path) => {
    const before = await tagCount();
    const response = await ws.raw('POST', '/api/tags', { body });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      code: 'VALIDATION_ERROR',
      issues: expect.arrayContaining([expect.objectContaining({ path })]),
    });
    expect(await tagCount()).toBe(before);
  });

  it('rejects unknown fields', async () => {
    const response = await ws.raw('POST', '/api/tags', { body: { name: 'Unknown field', colour: 'red' } });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      code: 'VALIDATION_ERROR',
      issues: [{ path: [], message: expect.stringContaining('colour') }],
    });
  });

  it('answers malformed JSON with a JSON 400', async () => {
    const response = await ws.raw('POST', '/api/tags', {
      rawBody: '{"name": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'VALIDATION_ERROR', message: expect.any(String) });
  });

  it('needs an API key', async () => {
    const response = await restCall(server, 'POST', '/api/tags', { body: { name: 'No key' } });
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

describe('GET /api/tags/:id', () => {
  it('reads a tag with its usage counts', async () => {
    const tag = await ws.tag({ name: 'Counted' });
    // Two contacts carry it directly, one session inherits it.
    await ws.taggedPair({ tag });
    await ws.tagContact(await ws.contact(), tag);
    const { data, response } = await ws.rest.GET('/tags/{id}', byId(tag.id));
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ id: tag.id, name: 'Counted', contactsCount: 2, sessionsCount: 1 });
  });

  it('is 404 for an unknown id and for a tag of another workspace', async () => {
    const foreign = await other.tag({ name: 'Foreign' });
    for (const id of [foreign.id, 'wtag_00000000-0000-7000-8000-000000000000']) {
      const { error, response } = await ws.rest.GET('/tags/{id}', byId(id));
      expect(response.status).toBe(404);
      expect(error).toMatchObject({ code: 'NOT_FOUND' });
    }
  });

  it('is 404 for an id that is not a tag id (issue 14: a wrong prefix names no tag)', async () => {
    const { error, response } = await ws.rest.GET('/tags/{id}', byId('contact_00000000-0000-7000-8000-000000000000'));
    expect(response.status).toBe(404);
    expect(error).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('is 400 for an id longer than 255 characters', async () => {
    const { error, response } = await ws.rest.GET('/tags/{id}', byId('x'.repeat(256)));
    expect(response.status).toBe(400);
    expect(error).toMatchObject({
      code: 'VALIDATION_ERROR',
      issues: [expect.objectContaining({ path: ['id'] })],
    });
  });
});

describe('GET /api/tags', () => {
  it('searches by case-insensitive name prefix, literally', async () => {
    const fresh = await fixture(server);
    for (const name of ['Priority', 'prime', 'PRO_plan', 'Pro%x', 'Other']) await fresh.tag({ name });
    const names = async (q: string) => {
      const { data } = await fresh.rest.GET('/tags', { params: { query: { q } } });
      return data?.tags.map((t) => t.name);
    };
    expect(await names('pri')).toEqual(['Priority', 'prime']);
    expect(await names('PR')).toEqual(['Priority', 'prime', 'PRO_plan', 'Pro%x']);
    expect(await names('pro_')).toEqual(['PRO_plan']);
    expect(await names('pro%')).toEqual(['Pro%x']);
    expect(await names('zzz')).toEqual([]);
  });

  it('filters by type', async () => {
    const fresh = await fixture(server);
    await fresh.tag({ name: 'Lead', type: 'clientStage' });
    await fresh.tag({ name: 'Plain' });
    const { data } = await fresh.rest.GET('/tags', { params: { query: { type: 'clientStage' } } });
    expect(data?.tags.map((t) => t.name)).toEqual(['Lead']);
  });

  it('walks every tag exactly once with the keyset cursor', async () => {
    const fresh = await fixture(server);
    const created: string[] = [];
    for (let i = 0; i < 23; i++) created.push((await fresh.tag({ name: `Tag ${i}`, order: i % 4 })).id);
    const seen: string[] = [];
    let cursor: string | null | undefined = null;
    let pages = 0;
    do {
      const query: { limit: number; cursor?: string } = cursor ? { limit: 5, cursor } : { limit: 5 };
      const { data: page, response } = await fresh.rest.GET('/tags', { params: { query } });
      expect(response.status).toBe(200);
      expect(page?.tags.length).toBeLessThanOrEqual(5);
      seen.push(...(page?.tags.map((t) => t.id) ?? []));
      cursor = page?.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(5);
    expect(new Set(seen).size).toBe(23);
    expect([...seen].sort()).toEqual([...created].sort());
  });

  it('rejects a bad limit and a tampered cursor with 400', async () => {
    expect((await ws.rest.GET('/tags', { params: { query: { limit: 0 } } })).response.status).toBe(400);
    expect((await ws.rest.GET('/tags', { params: { query: { limit: 501 } } })).response.status).toBe(400);
    const { error, response } = await ws.rest.GET('/tags', { params: { query: { cursor: 'bm90LWEtY3Vyc29y' } } });
    expect(response.status).toBe(400);
    expect(error).toMatchObject({ code: 'VALIDATION_ERROR', issues: [{ path: ['cursor'] }] });
  });
});

describe('PUT /api/tags/:id', () => {
  it('updates only the fields given and clears with null', async () => {
    const tag = await ws.tag({ name: 'Editable', color: '#00FF00', emoji: '🔥', description: 'd' });
    const { data, response } = await ws.rest.PUT('/tags/{id}', {
      ...byId(tag.id),
      body: { color: null, name: 'Edited' },
    });
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ id: tag.id, name: 'Edited', color: null, emoji: '🔥', description: 'd' });
    expect(Date.parse(data?.updatedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(tag.updatedAt));
  });

  it('writes nothing for a patch that changes nothing: updatedAt stays, no tag.updated (REST, bulk, Zapini)', async () => {
    const tag = await ws.tag({ name: 'Saved unchanged', color: '#00FF00', emoji: '🔥', description: 'd' });
    const sentinel = await ws.tag({ name: 'Sentinel' });
    const same = await ws.rest.PUT('/tags/{id}', {
      ...byId(tag.id),
      body: { name: 'Saved unchanged', color: '#00FF00', emoji: '🔥', description: 'd', order: tag.order },
    });
    expect(same.response.status).toBe(200);
    expect(same.data?.updatedAt).toBe(tag.updatedAt);
    expect((await ws.rest.PUT('/tags/{id}', { ...byId(tag.id), body: {} })).data?.updatedAt).toBe(tag.updatedAt);
    const bulk = await ws.rest.PATCH('/tags/bulk', {
      body: {
        patches: [
          { id: tag.id, order: tag.order, description: 'd' },
          { id: sentinel.id, description: 'changed' },
        ],
      },
    });
    expect(bulk.data).toMatchObject({ patched: 2 });
    const zapini = await ws.rest.PATCH('/v1/tags/{uuid}', {
      params: { path: { uuid: tag.id } },
      body: { name: 'Saved unchanged', color: '#00FF00' },
    });
    expect(zapini.response.status).toBe(200);
    expect((await ws.rest.GET('/tags/{id}', byId(tag.id))).data?.updatedAt).toBe(tag.updatedAt);
    // The sentinel's change is in the feed; the unchanged tag has no tag.updated.
    let updated: string[] = [];
    for (let wait = 0; wait < 100 && !updated.includes(sentinel.id); wait++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const { data } = await ws.rest.GET('/events', { params: { query: { types: 'tag.updated', limit: 1000 } } });
      updated = (data?.events ?? []).map((event) => String((event.data.tag as { id?: string } | undefined)?.id));
    }
    expect(updated).toContain(sentinel.id);
    expect(updated).not.toContain(tag.id);
  });

  it('clears the emoji and the color with blanks as with null', async () => {
    const tag = await ws.tag({ name: 'Blanks', color: '#00FF00', emoji: '🔥' });
    const { data, response } = await ws.rest.PUT('/tags/{id}', { ...byId(tag.id), body: { color: '  ', emoji: ' ' } });
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ color: null, emoji: null });
  });

  it('allows changing only the case of its own name', async () => {
    const tag = await ws.tag({ name: 'casing' });
    const { data, response } = await ws.rest.PUT('/tags/{id}', { ...byId(tag.id), body: { name: 'Casing' } });
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ name: 'Casing' });
  });

  it('refuses renaming onto another tag name with 409 and changes nothing', async () => {
    await ws.tag({ name: 'Taken' });
    const tag = await ws.tag({ name: 'Renamed', color: 'red' });
    const { response } = await ws.rest.PUT('/tags/{id}', { ...byId(tag.id), body: { name: 'TAKEN', color: 'green' } });
    expect(response.status).toBe(409);
    expect((await ws.rest.GET('/tags/{id}', byId(tag.id))).data).toMatchObject({ name: 'Renamed', color: 'red' });
  });

  it('is 404 for a tag of another workspace, 400 for bad fields', async () => {
    const foreign = await other.tag({ name: 'Not yours' });
    expect((await ws.rest.PUT('/tags/{id}', { ...byId(foreign.id), body: { name: 'Mine' } })).response.status).toBe(
      404,
    );
    expect((await other.rest.GET('/tags/{id}', byId(foreign.id))).data).toMatchObject({ name: 'Not yours' });
    const tag = await ws.tag({ name: 'Strict' });
    const response = await ws.raw('PUT', `/api/tags/${tag.id}`, { body: { name: 'x', workspace: 3 } });
    expect(response.status).toBe(400);
  });
});

describe('DELETE /api/tags/:id', () => {
  it('deletes the tag and cascades to its entity tags', async () => {
    const tag = await ws.tag({ name: 'Doomed' });
    const keep = await ws.tag({ name: 'Kept' });
    // Doomed: the contact's direct row and its session's inherited row; Kept: the session's direct row.
    const { contact, session } = await ws.taggedPair({ tag });
    await ws.tagSession(session, keep);
    const deleted = await ws.rest.DELETE('/tags/{id}', byId(tag.id));
    expect(deleted.response.status).toBe(200);
    expect(deleted.data).toEqual({ success: true, removedEntityTags: 2 });
    expect((await ws.rest.GET('/tags/{id}', byId(tag.id))).response.status).toBe(404);
    const rows = await server.db
      .fork()
      .execute<{ entity_id: string; tag_id: string }[]>(
        'select entity_id, tag_id from entity_tag where workspace_id = ? and entity_id = any(array[?, ?]::text[])',
        [ws.id, contact.id, session.id],
      );
    expect(rows).toEqual([{ entity_id: session.id, tag_id: keep.id }]);
    expect((await ws.rest.DELETE('/tags/{id}', byId(tag.id))).response.status).toBe(404);
  });

  it('cannot delete a tag of another workspace', async () => {
    const foreign = await other.tag({ name: 'Protected' });
    expect((await ws.rest.DELETE('/tags/{id}', byId(foreign.id))).response.status).toBe(404);
    expect((await other.rest.GET('/tags/{id}', byId(foreign.id))).response.status).toBe(200);
  });
});

describe('service routes', () => {
  it('serves health, readiness and the OpenAPI document', async () => {
    expect((await restCall(server, 'GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect((await restCall(server, 'GET', '/readyz')).body).toEqual({ status: 'ready' });
    const doc = (await restCall(server, 'GET', '/openapi.json')).body as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    expect(doc.openapi).toMatch(/^3\.1/);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/tags', '/tags/{id}']));
    expect(Object.keys(doc.paths['/tags']?.post?.responses ?? {})).toContain('201');
  });

  it('echoes a request id', async () => {
    const response = await restCall(server, 'GET', '/healthz', { headers: { 'x-request-id': 'trace-123' } });
    expect(response.headers.get('x-request-id')).toBe('trace-123');
  });

  it('does not keep a request id that holds a key, and answers with the id it logs', async () => {
    for (const given of [`tgk_${'A'.repeat(43)}`, `req-tgk_${'b'.repeat(20)}-1`]) {
      const response = await restCall(server, 'GET', '/healthz', { headers: { 'x-request-id': given } });
      const echoed = response.headers.get('x-request-id') ?? '';
      expect(echoed).not.toContain('tgk_');
      expect(echoed).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
    // A short run after the prefix is no key's form: kept.
    const short = await restCall(server, 'GET', '/healthz', { headers: { 'x-request-id': 'tgk_trace-1' } });
    expect(short.headers.get('x-request-id')).toBe('tgk_trace-1');
  });

  it('answers unknown REST routes with a JSON 404', async () => {
    const response = await ws.raw('GET', '/api/nope');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 'NOT_FOUND' });
  });
});
