import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulkUpsertResult, Contact, ContactPage } from '@tagging/contracts';
import { restCall, startTestServer, type TestServer, type TestWorkspace } from '../testing/test-server.ts';

let server: TestServer;
let workspace: TestWorkspace;

beforeAll(async () => {
  server = await startTestServer();
  workspace = await server.newWorkspace('Contacts');
});
afterAll(() => server.close());

const call = (method: string, path: string, body?: unknown, ws = workspace) =>
  restCall(server, method, path, { body, apiKey: ws.apiKey });

describe('contacts', () => {
  it('creates, reads, updates and deletes a contact', async () => {
    const created = await call('POST', '/api/contacts', {
      name: 'Ada',
      externalId: 'crm-1',
      metadata: { plan: 'pro' },
    });
    expect(created.status).toBe(201);
    const contact = created.body as Contact;
    expect(contact).toMatchObject({
      name: 'Ada',
      externalId: 'crm-1',
      metadata: { plan: 'pro' },
      workspaceId: workspace.id,
    });
    expect(contact.id).toMatch(/^contact_/);
    expect((await call('GET', `/api/contacts/${contact.id}`)).body).toEqual(contact);
    const updated = await call('PATCH', `/api/contacts/${contact.id}`, { name: 'Ada L.' });
    expect(updated.body).toMatchObject({ name: 'Ada L.', externalId: 'crm-1', metadata: { plan: 'pro' } });
    expect((await call('DELETE', `/api/contacts/${contact.id}`)).body).toEqual({ success: true });
    expect((await call('GET', `/api/contacts/${contact.id}`)).status).toBe(404);
  });

  it('refuses a second contact with the same externalId (409) and bad input (400)', async () => {
    await call('POST', '/api/contacts', { externalId: 'dup-1' });
    expect((await call('POST', '/api/contacts', { externalId: 'dup-1' })).status).toBe(409);
    expect((await call('POST', '/api/contacts', { name: 'x'.repeat(201) })).status).toBe(400);
    expect((await call('POST', '/api/contacts', { metadata: 'not an object' })).status).toBe(400);
    expect((await call('POST', '/api/contacts', { nickname: 'x' })).status).toBe(400);
  });

  it('deleting a contact unlinks its sessions and removes its tag rows', async () => {
    const contact = (await call('POST', '/api/contacts', { name: 'Leaving' })).body as Contact;
    const session = (await call('POST', '/api/sessions', { contactId: contact.id })).body as { id: string };
    const tag = (await call('POST', '/api/tags', { name: 'Leaving tag' })).body as { id: string };
    await server.db.fork().execute(
      `insert into entity_tag (workspace_id, id, entity_type, entity_id, tag_id, source_type, source_entity_type, source_entity_id)
       values (?, 'etag_c1', 'contact', ?, ?, 'direct', null, null),
              (?, 'etag_s1', 'session', ?, ?, 'inherited', 'contact', ?)`,
      [workspace.id, contact.id, tag.id, workspace.id, session.id, tag.id, contact.id],
    );
    expect((await call('DELETE', `/api/contacts/${contact.id}`)).status).toBe(200);
    expect((await call('GET', `/api/sessions/${session.id}`)).body).toMatchObject({ id: session.id, contactId: null });
    const rows = await server.db.fork().execute("select id from entity_tag where id in ('etag_c1', 'etag_s1')");
    expect(rows).toEqual([]);
  });
});

describe('contact pagination', () => {
  it('walks 1,234 contacts without gaps or repeats', async () => {
    const ws = await server.newWorkspace('Many');
    const contacts = Array.from({ length: 1234 }, (_, i) => ({ externalId: `walk-${i}`, name: `Contact ${i}` }));
    const upserted = await call('POST', '/api/contacts/bulk', { contacts }, ws);
    expect(upserted.body).toMatchObject({ created: 1234, updated: 0, errors: [] });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = (await call('GET', `/api/contacts?limit=100${query}`, undefined, ws)).body as ContactPage;
      seen.push(...page.contacts.map((c) => c.externalId ?? ''));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(1234);
    expect(new Set(seen).size).toBe(1234);
    expect(new Set(seen)).toEqual(new Set(contacts.map((c) => c.externalId)));
  });
});

describe('bulk upsert of contacts', () => {
  const state = async (ws: TestWorkspace) => {
    const rows = await server.db
      .fork()
      .execute<{ id: string; name: string; external_id: string; metadata: unknown }[]>(
        'select id, name, external_id, metadata from contact where workspace_id = ? order by external_id nulls last, id',
        [ws.id],
      );
    return rows.map((row) => ({
      ...row,
      metadata: typeof row.metadata === 'string' ? JSON.parse(row.metadata) : row.metadata,
    }));
  };

  it('gives the same state when run twice', async () => {
    const ws = await server.newWorkspace('Idempotent');
    const body = {
      contacts: [
        { externalId: 'a', name: 'Ann', metadata: { n: 1 } },
        { externalId: 'b', name: 'Bob' },
        { externalId: 'c' },
      ],
    };
    const first = (await call('POST', '/api/contacts/bulk', body, ws)).body as BulkUpsertResult;
    const after1 = await state(ws);
    const second = (await call('POST', '/api/contacts/bulk', body, ws)).body as BulkUpsertResult;
    const after2 = await state(ws);
    expect(first).toMatchObject({ created: 3, updated: 0 });
    expect(second).toMatchObject({ created: 0, updated: 3 });
    expect(second.ids).toEqual(first.ids);
    expect(after2).toEqual(after1);
  });

  it('updates only the fields given and keeps ids', async () => {
    const ws = await server.newWorkspace('Partial');
    const first = (
      await call('POST', '/api/contacts/bulk', { contacts: [{ externalId: 'p', name: 'Pat', metadata: { x: 1 } }] }, ws)
    ).body as BulkUpsertResult;
    await call('POST', '/api/contacts/bulk', { contacts: [{ externalId: 'p', metadata: { x: 2 } }] }, ws);
    const contact = (await call('GET', `/api/contacts/${first.ids[0] ?? ''}`, undefined, ws)).body;
    expect(contact).toMatchObject({ name: 'Pat', metadata: { x: 2 }, externalId: 'p' });
  });

  it('reports a repeated externalId and applies the rest', async () => {
    const ws = await server.newWorkspace('Repeats');
    const result = (
      await call(
        'POST',
        '/api/contacts/bulk',
        { contacts: [{ externalId: 'r', name: 'first' }, { name: 'no id' }, { externalId: 'r', name: 'again' }] },
        ws,
      )
    ).body as BulkUpsertResult;
    expect(result).toMatchObject({ created: 2, updated: 0, errors: [{ index: 2, code: 'VALIDATION_ERROR' }] });
    expect(result.ids[2]).toBeNull();
    expect((await state(ws)).map((c) => c.name)).toEqual(['first', 'no id']);
  });

  it('refuses more than 10,000 items with 413 and an empty batch with 400', async () => {
    const contacts = Array.from({ length: 10_001 }, () => ({}));
    const tooMany = await call('POST', '/api/contacts/bulk', { contacts });
    expect(tooMany.status).toBe(413);
    expect(tooMany.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect((await call('POST', '/api/contacts/bulk', { contacts: [] })).status).toBe(400);
  });

  it('takes 10,000 contacts in one request', async () => {
    const ws = await server.newWorkspace('Ten thousand');
    const contacts = Array.from({ length: 10_000 }, (_, i) => ({
      externalId: `k-${i}`,
      name: `K ${i}`,
      metadata: { i },
    }));
    const result = (await call('POST', '/api/contacts/bulk', { contacts }, ws)).body as BulkUpsertResult;
    expect(result).toMatchObject({ created: 10_000, errors: [] });
    expect(new Set(result.ids).size).toBe(10_000);
  });
});
