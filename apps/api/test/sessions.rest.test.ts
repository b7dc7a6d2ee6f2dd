import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BulkUpsertResult, Contact, Session, SessionPage } from '@tagging/contracts';
import { restCall, startTestServer, type TestServer, type TestWorkspace } from '../testing/test-server.ts';

let server: TestServer;
let workspace: TestWorkspace;
let other: TestWorkspace;

beforeAll(async () => {
  server = await startTestServer();
  workspace = await server.newWorkspace('Sessions');
  other = await server.newWorkspace('Other');
});
afterAll(() => server.close());

const call = (method: string, path: string, body?: unknown, ws = workspace) =>
  restCall(server, method, path, { body, apiKey: ws.apiKey });
const newContact = async (name = 'C', ws = workspace) =>
  ((await call('POST', '/api/contacts', { name }, ws)).body as Contact).id;
const newTag = async (name: string) => ((await call('POST', '/api/tags', { name })).body as { id: string }).id;

/** Gives a contact a direct tag row (the entity-tag routes come with the next issue). */
async function tagContact(contactId: string, tagId: string) {
  await server.db.fork().execute(
    `insert into entity_tag (workspace_id, id, entity_type, entity_id, tag_id, source_type)
     values (?, 'etag_' || tagging_uuid_v7(), 'contact', ?, ?, 'direct')`,
    [workspace.id, contactId, tagId],
  );
}

const sessionTags = (sessionId: string) =>
  server.db.fork().execute<{ tag_id: string; source_type: string; source_entity_id: string | null }[]>(
    `select tag_id, source_type, source_entity_id from entity_tag
       where workspace_id = ? and entity_type = 'session' and entity_id = ? order by tag_id`,
    [workspace.id, sessionId],
  );

describe('sessions', () => {
  it('creates a session linked to a contact, reads, updates and deletes it', async () => {
    const contactId = await newContact();
    const created = await call('POST', '/api/sessions', { name: 'Chat 1', contactId });
    expect(created.status).toBe(201);
    const session = created.body as Session;
    expect(session).toMatchObject({ name: 'Chat 1', contactId });
    expect(session.id).toMatch(/^wses_/);
    expect((await call('PATCH', `/api/sessions/${session.id}`, { name: 'Chat 1b' })).body).toMatchObject({
      name: 'Chat 1b',
      contactId,
    });
    expect((await call('DELETE', `/api/sessions/${session.id}`)).body).toEqual({ success: true });
    expect((await call('GET', `/api/sessions/${session.id}`)).status).toBe(404);
  });

  it('refuses a contact of another workspace as if it did not exist', async () => {
    const foreign = await newContact('Foreign', other);
    const response = await call('POST', '/api/sessions', { contactId: foreign });
    expect(response.status).toBe(404);
    const session = (await call('POST', '/api/sessions', {})).body as Session;
    expect((await call('PATCH', `/api/sessions/${session.id}`, { contactId: foreign })).status).toBe(404);
    expect((await call('GET', `/api/sessions/${session.id}`)).body).toMatchObject({ contactId: null });
  });

  it('inherits the contact tags on create, and recomputes them on relink and unlink', async () => {
    const [first, second] = [await newContact('First'), await newContact('Second')];
    const [vip, churn, direct] = [
      await newTag('Relink VIP'),
      await newTag('Relink churn'),
      await newTag('Relink direct'),
    ];
    await tagContact(first, vip);
    await tagContact(first, direct);
    await tagContact(second, churn);
    const session = (await call('POST', '/api/sessions', { contactId: first })).body as Session;
    expect((await sessionTags(session.id)).map((t) => [t.tag_id, t.source_type])).toEqual(
      [
        [vip, 'inherited'],
        [direct, 'inherited'],
      ].sort(),
    );
    // A direct tag of the session survives relinks.
    await server.db.fork().execute(
      `update entity_tag set source_type = 'direct', source_entity_type = null, source_entity_id = null
                where workspace_id = ? and entity_id = ? and tag_id = ?`,
      [workspace.id, session.id, direct],
    );

    await call('PATCH', `/api/sessions/${session.id}`, { contactId: second });
    expect((await sessionTags(session.id)).map((t) => [t.tag_id, t.source_type, t.source_entity_id])).toEqual(
      [
        [churn, 'inherited', second],
        [direct, 'direct', null],
      ].sort(),
    );

    await call('PATCH', `/api/sessions/${session.id}`, { contactId: null });
    expect((await sessionTags(session.id)).map((t) => [t.tag_id, t.source_type])).toEqual([[direct, 'direct']]);
  });

  it('deleting a session removes its tag rows', async () => {
    const contactId = await newContact();
    const tag = await newTag('Session delete');
    await tagContact(contactId, tag);
    const session = (await call('POST', '/api/sessions', { contactId })).body as Session;
    expect(await sessionTags(session.id)).toHaveLength(1);
    await call('DELETE', `/api/sessions/${session.id}`);
    expect(await sessionTags(session.id)).toHaveLength(0);
  });

  it('lists the sessions of one contact, page by page', async () => {
    const contactId = await newContact('Lister');
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(((await call('POST', '/api/sessions', { contactId })).body as Session).id);
    await call('POST', '/api/sessions', {});
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = (await call('GET', `/api/sessions?contactId=${contactId}&limit=3${query}`)).body as SessionPage;
      seen.push(...page.sessions.map((s) => s.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids);
  });
});

describe('bulk upsert of sessions', () => {
  it('links by contact id or external id, reports unknown contacts, and is idempotent', async () => {
    const ws = await server.newWorkspace('Bulk sessions');
    const contacts = (
      await call('POST', '/api/contacts/bulk', { contacts: [{ externalId: 'c-1' }, { externalId: 'c-2' }] }, ws)
    ).body as BulkUpsertResult;
    const body = {
      sessions: [
        { externalId: 's-1', contactExternalId: 'c-1', name: 'one' },
        { externalId: 's-2', contactId: contacts.ids[1] },
        { externalId: 's-3', contactExternalId: 'missing' },
        { externalId: 's-4' },
      ],
    };
    const first = (await call('POST', '/api/sessions/bulk', body, ws)).body as BulkUpsertResult;
    expect(first).toMatchObject({ created: 3, updated: 0, errors: [{ index: 2, code: 'NOT_FOUND' }] });
    const second = (await call('POST', '/api/sessions/bulk', body, ws)).body as BulkUpsertResult;
    expect(second).toMatchObject({ created: 0, updated: 3 });
    expect(second.ids).toEqual(first.ids);
    const page = (await call('GET', '/api/sessions', undefined, ws)).body as SessionPage;
    expect(page.sessions.map((s) => [s.externalId, s.contactId, s.name]).sort()).toEqual([
      ['s-1', contacts.ids[0], 'one'],
      ['s-2', contacts.ids[1], ''],
      ['s-4', null, ''],
    ]);
    // Leaving the link out keeps it; null unlinks.
    await call(
      'POST',
      '/api/sessions/bulk',
      {
        sessions: [
          { externalId: 's-1', name: 'renamed' },
          { externalId: 's-2', contactId: null },
        ],
      },
      ws,
    );
    const after = (await call('GET', '/api/sessions', undefined, ws)).body as SessionPage;
    expect(after.sessions.map((s) => [s.externalId, s.contactId, s.name]).sort()).toEqual([
      ['s-1', contacts.ids[0], 'renamed'],
      ['s-2', null, ''],
      ['s-4', null, ''],
    ]);
  });

  it('moves inherited tags when bulk upsert relinks sessions', async () => {
    const [from, to] = [await newContact('From'), await newContact('To')];
    const tag = await newTag('Bulk relink');
    await tagContact(to, tag);
    const session = (await call('POST', '/api/sessions', { contactId: from, externalId: 'bulk-relink' }))
      .body as Session;
    expect(await sessionTags(session.id)).toEqual([]);
    await call('POST', '/api/sessions/bulk', { sessions: [{ externalId: 'bulk-relink', contactId: to }] });
    expect(await sessionTags(session.id)).toEqual([{ tag_id: tag, source_type: 'inherited', source_entity_id: to }]);
  });
});
