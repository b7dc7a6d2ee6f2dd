import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { fixture, type WorkspaceFixture } from '../testing/workspace-fixture.ts';

let server: TestServer;
let ws: WorkspaceFixture;

beforeAll(async () => {
  server = await startTestServer();
  ws = await fixture(server, 'Contacts');
});
afterAll(() => server.close());

const byId = (id: string) => ({ params: { path: { id } } });

describe('contacts', () => {
  it('creates, reads, updates and deletes a contact', async () => {
    const created = await ws.rest.POST('/contacts', {
      body: { name: 'Ada', externalId: 'crm-1', metadata: { plan: 'pro' } },
    });
    expect(created.response.status).toBe(201);
    const contact = created.data;
    if (!contact) throw new Error('no contact in the 201 answer');
    expect(contact).toMatchObject({
      name: 'Ada',
      externalId: 'crm-1',
      metadata: { plan: 'pro' },
      workspaceId: ws.id,
    });
    expect(contact.id).toMatch(/^contact_/);
    expect((await ws.rest.GET('/contacts/{id}', byId(contact.id))).data).toEqual(contact);
    const updated = await ws.rest.PATCH('/contacts/{id}', { ...byId(contact.id), body: { name: 'Ada L.' } });
    expect(updated.data).toMatchObject({ name: 'Ada L.', externalId: 'crm-1', metadata: { plan: 'pro' } });
    expect((await ws.rest.DELETE('/contacts/{id}', byId(contact.id))).data).toEqual({ success: true });
    expect((await ws.rest.GET('/contacts/{id}', byId(contact.id))).response.status).toBe(404);
  });

  it('refuses a second contact with the same externalId (409) and bad input (400)', async () => {
    await ws.contact({ externalId: 'dup-1' });
    expect((await ws.rest.POST('/contacts', { body: { externalId: 'dup-1' } })).response.status).toBe(409);
    expect((await ws.rest.POST('/contacts', { body: { name: 'x'.repeat(201) } })).response.status).toBe(400);
    // Bodies of the wrong shape, which the typed client does not build.
    expect((await ws.raw('POST', '/api/contacts', { body: { metadata: 'not an object' } })).status).toBe(400);
    expect((await ws.raw('POST', '/api/contacts', { body: { nickname: 'x' } })).status).toBe(400);
  });

  it('deleting a contact unlinks its sessions and removes its tag rows', async () => {
    const { contact, session } = await ws.taggedPair({ contact: { name: 'Leaving' } });
    const rowsOf = () =>
      server.db
        .fork()
        .execute('select id from entity_tag where workspace_id = ? and entity_id = any(array[?, ?]::text[])', [
          ws.id,
          contact.id,
          session.id,
        ]);
    expect(await rowsOf()).toHaveLength(2);
    expect((await ws.rest.DELETE('/contacts/{id}', byId(contact.id))).response.status).toBe(200);
    expect((await ws.rest.GET('/sessions/{id}', byId(session.id))).data).toMatchObject({
      id: session.id,
      contactId: null,
    });
    expect(await rowsOf()).toEqual([]);
  });
});

describe('contact pagination', () => {
  it('walks 1,234 contacts without gaps or repeats', async () => {
    const many = await fixture(server, 'Many');
    const contacts = Array.from({ length: 1234 }, (_, i) => ({ externalId: `walk-${i}`, name: `Contact ${i}` }));
    const upserted = await many.rest.POST('/contacts/bulk', { body: { contacts } });
    expect(upserted.data).toMatchObject({ created: 1234, updated: 0, errors: [] });
    const seen: string[] = [];
    let cursor: string | null | undefined = null;
    do {
      const query: { limit: number; cursor?: string } = cursor ? { limit: 100, cursor } : { limit: 100 };
      const { data: page } = await many.rest.GET('/contacts', { params: { query } });
      seen.push(...(page?.contacts.map((c) => c.externalId ?? '') ?? []));
      cursor = page?.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(1234);
    expect(new Set(seen).size).toBe(1234);
    expect(new Set(seen)).toEqual(new Set(contacts.map((c) => c.externalId)));
  });
});

describe('bulk upsert of contacts', () => {
  const state = async (workspace: WorkspaceFixture) => {
    const rows = await server.db
      .fork()
      .execute<{ id: string; name: string; external_id: string; metadata: unknown }[]>(
        'select id, name, external_id, metadata from contact where workspace_id = ? order by external_id nulls last, id',
        [workspace.id],
      );
    return rows.map((row) => ({
      ...row,
      metadata: typeof row.metadata === 'string' ? JSON.parse(row.metadata) : row.metadata,
    }));
  };

  it('gives the same state when run twice', async () => {
    const fresh = await fixture(server, 'Idempotent');
    const body = {
      contacts: [
        { externalId: 'a', name: 'Ann', metadata: { n: 1 } },
        { externalId: 'b', name: 'Bob' },
        { externalId: 'c' },
      ],
    };
    const { data: first } = await fresh.rest.POST('/contacts/bulk', { body });
    const after1 = await state(fresh);
    const { data: second } = await fresh.rest.POST('/contacts/bulk', { body });
    const after2 = await state(fresh);
    expect(first).toMatchObject({ created: 3, updated: 0 });
    expect(second).toMatchObject({ created: 0, updated: 3 });
    expect(second?.ids).toEqual(first?.ids);
    expect(after2).toEqual(after1);
  });

  it('updates only the fields given and keeps ids', async () => {
    const fresh = await fixture(server, 'Partial');
    const { data: first } = await fresh.rest.POST('/contacts/bulk', {
      body: { contacts: [{ externalId: 'p', name: 'Pat', metadata: { x: 1 } }] },
    });
    await fresh.rest.POST('/contacts/bulk', { body: { contacts: [{ externalId: 'p', metadata: { x: 2 } }] } });
    const { data: contact } = await fresh.rest.GET('/contacts/{id}', byId(first?.ids[0] ?? ''));
    expect(contact).toMatchObject({ name: 'Pat', metadata: { x: 2 }, externalId: 'p' });
  });

  it('reports a repeated externalId and applies the rest', async () => {
    const fresh = await fixture(server, 'Repeats');
    const { data: result } = await fresh.rest.POST('/contacts/bulk', {
      body: { contacts: [{ externalId: 'r', name: 'first' }, { name: 'no id' }, { externalId: 'r', name: 'again' }] },
    });
    expect(result).toMatchObject({ created: 2, updated: 0, errors: [{ index: 2, code: 'VALIDATION_ERROR' }] });
    expect(result?.ids).toHaveLength(3);
    expect(result?.ids[2]).toBeNull();
    expect((await state(fresh)).map((c) => c.name)).toEqual(['first', 'no id']);
  });

  it('refuses more than 10,000 items with 413 and an empty batch with 400', async () => {
    const contacts = Array.from({ length: 10_001 }, () => ({}));
    const tooMany = await ws.rest.POST('/contacts/bulk', { body: { contacts } });
    expect(tooMany.response.status).toBe(413);
    expect(tooMany.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect((await ws.rest.POST('/contacts/bulk', { body: { contacts: [] } })).response.status).toBe(400);
  });

  it('takes 10,000 contacts in one request', async () => {
    const fresh = await fixture(server, 'Ten thousand');
    const contacts = Array.from({ length: 10_000 }, (_, i) => ({
      externalId: `k-${i}`,
      name: `K ${i}`,
      metadata: { i },
    }));
    const { data: result } = await fresh.rest.POST('/contacts/bulk', { body: { contacts } });
    expect(result).toMatchObject({ created: 10_000, errors: [] });
    expect(new Set(result?.ids).size).toBe(10_000);
  });
});
