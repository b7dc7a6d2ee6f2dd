import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tag, TagPage } from '@tagging/contracts';
import { restCall, startTestServer, type TestServer, type TestWorkspace } from '../testing/test-server.ts';

let server: TestServer;
let workspace: TestWorkspace;
let otherWorkspace: TestWorkspace;

beforeAll(async () => {
  server = await startTestServer();
  workspace = await server.newWorkspace('Acme');
  otherWorkspace = await server.newWorkspace('Other');
});
afterAll(() => server.close());

const call = (method: string, path: string, body?: unknown, ws = workspace) =>
  restCall(server, method, path, { body, apiKey: ws.apiKey });

async function createTag(body: Record<string, unknown>, ws = workspace): Promise<Tag> {
  const response = await call('POST', '/api/tags', body, ws);
  expect(response.status).toBe(201);
  return response.body as Tag;
}

const tagCount = async () => {
  const [row] = await server.db.fork().execute<{ n: number }[]>('select count(*)::int as n from tag');
  return row?.n;
};

describe('POST /api/tags', () => {
  it('creates a tag with defaults and returns it with 201', async () => {
    const tag = await createTag({ name: '  VIP  ', color: 'blue', emoji: '⭐' });
    expect(tag).toMatchObject({
      name: 'VIP',
      color: 'blue',
      emoji: '⭐',
      type: 'common',
      description: null,
      contactsCount: 0,
      sessionsCount: 0,
      workspaceId: workspace.id,
    });
    expect(tag.id).toMatch(/^wtag_[0-9a-f-]{36}$/);
    expect(Date.parse(tag.createdAt)).not.toBeNaN();
  });

  it('puts new tags last unless an order is given', async () => {
    const first = await createTag({ name: 'Order A' });
    const second = await createTag({ name: 'Order B', type: 'clientStage', description: 'stage', color: '#FF5733' });
    expect(second.order).toBe(first.order + 1);
    expect(second).toMatchObject({ type: 'clientStage', description: 'stage', color: '#FF5733' });
    const pinned = await createTag({ name: 'Order C', order: -5 });
    expect(pinned.order).toBe(-5);
  });

  it('refuses a name already used in the workspace, ignoring case, with 409', async () => {
    await createTag({ name: 'Follow Up' });
    const before = await tagCount();
    const response = await call('POST', '/api/tags', { name: 'fOLLOW uP' });
    expect(response.status).toBe(409);
    // The message names the tag that exists, not what was typed.
    expect(response.body).toMatchObject({ code: 'CONFLICT', message: 'a tag named "Follow Up" already exists' });
    expect(await tagCount()).toBe(before);
  });

  it('allows the same name in another workspace', async () => {
    await createTag({ name: 'Shared name' });
    await createTag({ name: 'Shared name' }, otherWorkspace);
  });

  it('gives one 201 and one 409 for two concurrent creates of the same name, never a 500', async () => {
    for (let round = 0; round < 5; round++) {
      const name = `Race ${round}`;
      const responses = await Promise.all([
        call('POST', '/api/tags', { name }),
        call('POST', '/api/tags', { name: name.toUpperCase() }),
      ]);
      expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
      const [row] = await server.db
        .fork()
        .execute<{ n: number }[]>(
          'select count(*)::int as n from tag where workspace_id = ? and lower(name) = lower(?)',
          [workspace.id, name],
        );
      expect(row?.n).toBe(1);
    }
  });

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
    const response = await call('POST', '/api/tags', body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      code: 'VALIDATION_ERROR',
      issues: expect.arrayContaining([expect.objectContaining({ path })]),
    });
    expect(await tagCount()).toBe(before);
  });

  it('rejects unknown fields', async () => {
    const response = await call('POST', '/api/tags', { name: 'Unknown field', colour: 'red' });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      code: 'VALIDATION_ERROR',
      issues: [{ path: [], message: expect.stringContaining('colour') }],
    });
  });

  it('answers malformed JSON with a JSON 400', async () => {
    const response = await restCall(server, 'POST', '/api/tags', {
      rawBody: '{"name": ',
      apiKey: workspace.apiKey,
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
    const tag = await createTag({ name: 'Counted' });
    await server.db.fork().execute(
      `insert into entity_tag (workspace_id, id, entity_type, entity_id, tag_id, source_type)
       values (?, 'etag_a', 'contact', 'contact_a', ?, 'direct'),
              (?, 'etag_b', 'contact', 'contact_b', ?, 'direct'),
              (?, 'etag_c', 'session', 'wses_a', ?, 'inherited')`,
      [workspace.id, tag.id, workspace.id, tag.id, workspace.id, tag.id],
    );
    const response = await call('GET', `/api/tags/${tag.id}`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: tag.id, name: 'Counted', contactsCount: 2, sessionsCount: 1 });
  });

  it('is 404 for an unknown id and for a tag of another workspace', async () => {
    const foreign = await createTag({ name: 'Foreign' }, otherWorkspace);
    for (const id of [foreign.id, 'wtag_00000000-0000-7000-8000-000000000000']) {
      const response = await call('GET', `/api/tags/${id}`);
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ code: 'NOT_FOUND' });
    }
  });

  it('is 404 for an id that is not a tag id (issue 14: a wrong prefix names no tag)', async () => {
    const response = await call('GET', '/api/tags/contact_00000000-0000-7000-8000-000000000000');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('is 400 for an id longer than 255 characters', async () => {
    const response = await call('GET', `/api/tags/${'x'.repeat(256)}`);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      code: 'VALIDATION_ERROR',
      issues: [expect.objectContaining({ path: ['id'] })],
    });
  });
});

describe('GET /api/tags', () => {
  it('searches by case-insensitive name prefix, literally', async () => {
    const ws = await server.newWorkspace();
    for (const name of ['Priority', 'prime', 'PRO_plan', 'Pro%x', 'Other']) await createTag({ name }, ws);
    const names = async (q: string) =>
      ((await call('GET', `/api/tags?q=${encodeURIComponent(q)}`, undefined, ws)).body as TagPage).tags.map(
        (t) => t.name,
      );
    expect(await names('pri')).toEqual(['Priority', 'prime']);
    expect(await names('PR')).toEqual(['Priority', 'prime', 'PRO_plan', 'Pro%x']);
    expect(await names('pro_')).toEqual(['PRO_plan']);
    expect(await names('pro%')).toEqual(['Pro%x']);
    expect(await names('zzz')).toEqual([]);
  });

  it('filters by type', async () => {
    const ws = await server.newWorkspace();
    await createTag({ name: 'Lead', type: 'clientStage' }, ws);
    await createTag({ name: 'Plain' }, ws);
    const response = await call('GET', '/api/tags?type=clientStage', undefined, ws);
    expect((response.body as TagPage).tags.map((t) => t.name)).toEqual(['Lead']);
  });

  it('walks every tag exactly once with the keyset cursor', async () => {
    const ws = await server.newWorkspace();
    const created: string[] = [];
    for (let i = 0; i < 23; i++) created.push((await createTag({ name: `Tag ${i}`, order: i % 4 }, ws)).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const response = await call('GET', `/api/tags?limit=5${query}`, undefined, ws);
      expect(response.status).toBe(200);
      const page = response.body as TagPage;
      expect(page.tags.length).toBeLessThanOrEqual(5);
      seen.push(...page.tags.map((t) => t.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(5);
    expect(new Set(seen).size).toBe(23);
    expect([...seen].sort()).toEqual([...created].sort());
  });

  it('rejects a bad limit and a tampered cursor with 400', async () => {
    expect((await call('GET', '/api/tags?limit=0')).status).toBe(400);
    expect((await call('GET', '/api/tags?limit=501')).status).toBe(400);
    const response = await call('GET', '/api/tags?cursor=bm90LWEtY3Vyc29y');
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'VALIDATION_ERROR', issues: [{ path: ['cursor'] }] });
  });
});

describe('PUT /api/tags/:id', () => {
  it('updates only the fields given and clears with null', async () => {
    const tag = await createTag({ name: 'Editable', color: '#00FF00', emoji: '🔥', description: 'd' });
    const response = await call('PUT', `/api/tags/${tag.id}`, { color: null, name: 'Edited' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: tag.id, name: 'Edited', color: null, emoji: '🔥', description: 'd' });
    expect(Date.parse((response.body as Tag).updatedAt)).toBeGreaterThanOrEqual(Date.parse(tag.updatedAt));
  });

  it('clears the emoji and the color with blanks as with null', async () => {
    const tag = await createTag({ name: 'Blanks', color: '#00FF00', emoji: '🔥' });
    const response = await call('PUT', `/api/tags/${tag.id}`, { color: '  ', emoji: ' ' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ color: null, emoji: null });
  });

  it('allows changing only the case of its own name', async () => {
    const tag = await createTag({ name: 'casing' });
    const response = await call('PUT', `/api/tags/${tag.id}`, { name: 'Casing' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ name: 'Casing' });
  });

  it('refuses renaming onto another tag name with 409 and changes nothing', async () => {
    await createTag({ name: 'Taken' });
    const tag = await createTag({ name: 'Renamed', color: 'red' });
    const response = await call('PUT', `/api/tags/${tag.id}`, { name: 'TAKEN', color: 'green' });
    expect(response.status).toBe(409);
    expect((await call('GET', `/api/tags/${tag.id}`)).body).toMatchObject({ name: 'Renamed', color: 'red' });
  });

  it('is 404 for a tag of another workspace, 400 for bad fields', async () => {
    const foreign = await createTag({ name: 'Not yours' }, otherWorkspace);
    expect((await call('PUT', `/api/tags/${foreign.id}`, { name: 'Mine' })).status).toBe(404);
    expect((await call('GET', `/api/tags/${foreign.id}`, undefined, otherWorkspace)).body).toMatchObject({
      name: 'Not yours',
    });
    const tag = await createTag({ name: 'Strict' });
    const response = await call('PUT', `/api/tags/${tag.id}`, { name: 'x', workspace: 3 });
    expect(response.status).toBe(400);
  });
});

describe('DELETE /api/tags/:id', () => {
  it('deletes the tag and cascades to its entity tags', async () => {
    const tag = await createTag({ name: 'Doomed' });
    const keep = await createTag({ name: 'Kept' });
    await server.db.fork().execute(
      `insert into entity_tag (workspace_id, id, entity_type, entity_id, tag_id, source_type)
       values (?, 'etag_d1', 'contact', 'contact_d', ?, 'direct'),
              (?, 'etag_d2', 'session', 'wses_d', ?, 'inherited'),
              (?, 'etag_k1', 'contact', 'contact_d', ?, 'direct')`,
      [workspace.id, tag.id, workspace.id, tag.id, workspace.id, keep.id],
    );
    const response = await call('DELETE', `/api/tags/${tag.id}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ success: true, removedEntityTags: 2 });
    expect((await call('GET', `/api/tags/${tag.id}`)).status).toBe(404);
    const rows = await server.db
      .fork()
      .execute<{ id: string }[]>('select id from entity_tag where workspace_id = ?', [workspace.id]);
    expect(rows.map((r) => r.id)).toContain('etag_k1');
    expect(rows.map((r) => r.id)).not.toContain('etag_d1');
    expect((await call('DELETE', `/api/tags/${tag.id}`)).status).toBe(404);
  });

  it('cannot delete a tag of another workspace', async () => {
    const foreign = await createTag({ name: 'Protected' }, otherWorkspace);
    expect((await call('DELETE', `/api/tags/${foreign.id}`)).status).toBe(404);
    expect((await call('GET', `/api/tags/${foreign.id}`, undefined, otherWorkspace)).status).toBe(200);
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

  it('answers unknown REST routes with a JSON 404', async () => {
    const response = await call('GET', '/api/nope');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 'NOT_FOUND' });
  });
});
