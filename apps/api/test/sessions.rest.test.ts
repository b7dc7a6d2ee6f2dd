import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { fixture, type WorkspaceFixture } from '../testing/workspace-fixture.ts';

let server: TestServer;
let ws: WorkspaceFixture;
let other: WorkspaceFixture;

beforeAll(async () => {
  server = await startTestServer();
  ws = await fixture(server, 'Sessions');
  other = await fixture(server, 'Other');
});
afterAll(() => server.close());

const byId = (id: string) => ({ params: { path: { id } } });

const sessionTags = (sessionId: string) =>
  server.db.fork().execute<{ tag_id: string; source_type: string; source_entity_id: string | null }[]>(
    `select tag_id, source_type, source_entity_id from entity_tag
       where workspace_id = ? and entity_type = 'session' and entity_id = ? order by tag_id`,
    [ws.id, sessionId],
  );

describe('sessions', () => {
  it('creates a session linked to a contact, reads, updates and deletes it', async () => {
    const contact = await ws.contact();
    const created = await ws.rest.POST('/sessions', { body: { name: 'Chat 1', contactId: contact.id } });
    expect(created.response.status).toBe(201);
    const session = created.data;
    if (!session) throw new Error('no session in the 201 answer');
    expect(session).toMatchObject({ name: 'Chat 1', contactId: contact.id });
    expect(session.id).toMatch(/^wses_/);
    expect(
      (await ws.rest.PATCH('/sessions/{id}', { ...byId(session.id), body: { name: 'Chat 1b' } })).data,
    ).toMatchObject({
      name: 'Chat 1b',
      contactId: contact.id,
    });
    expect((await ws.rest.DELETE('/sessions/{id}', byId(session.id))).data).toEqual({ success: true });
    expect((await ws.rest.GET('/sessions/{id}', byId(session.id))).response.status).toBe(404);
  });

  it('refuses a contact of another workspace as if it did not exist', async () => {
    const foreign = await other.contact({ name: 'Foreign' });
    expect((await ws.rest.POST('/sessions', { body: { contactId: foreign.id } })).response.status).toBe(404);
    const session = await ws.sessionOf(null);
    const relinked = await ws.rest.PATCH('/sessions/{id}', { ...byId(session.id), body: { contactId: foreign.id } });
    expect(relinked.response.status).toBe(404);
    expect((await ws.rest.GET('/sessions/{id}', byId(session.id))).data).toMatchObject({ contactId: null });
  });

  it('inherits the contact tags on create, and recomputes them on relink and unlink', async () => {
    const [first, second] = [await ws.contact({ name: 'First' }), await ws.contact({ name: 'Second' })];
    const [vip, churn, direct] = [
      await ws.tag({ name: 'Relink VIP' }),
      await ws.tag({ name: 'Relink churn' }),
      await ws.tag({ name: 'Relink direct' }),
    ];
    await ws.tagContact(first, vip);
    await ws.tagContact(first, direct);
    await ws.tagContact(second, churn);
    const session = await ws.sessionOf(first);
    expect((await sessionTags(session.id)).map((t) => [t.tag_id, t.source_type])).toEqual(
      [
        [vip.id, 'inherited'],
        [direct.id, 'inherited'],
      ].sort(),
    );
    // A direct tag of the session survives relinks.
    await ws.tagSession(session, direct);

    await ws.rest.PATCH('/sessions/{id}', { ...byId(session.id), body: { contactId: second.id } });
    expect((await sessionTags(session.id)).map((t) => [t.tag_id, t.source_type, t.source_entity_id])).toEqual(
      [
        [churn.id, 'inherited', second.id],
        [direct.id, 'direct', null],
      ].sort(),
    );

    await ws.rest.PATCH('/sessions/{id}', { ...byId(session.id), body: { contactId: null } });
    expect((await sessionTags(session.id)).map((t) => [t.tag_id, t.source_type])).toEqual([[direct.id, 'direct']]);
  });

  it('deleting a session removes its tag rows', async () => {
    const { session } = await ws.taggedPair({ tag: await ws.tag({ name: 'Session delete' }) });
    expect(await sessionTags(session.id)).toHaveLength(1);
    await ws.rest.DELETE('/sessions/{id}', byId(session.id));
    expect(await sessionTags(session.id)).toHaveLength(0);
  });

  it('lists the sessions of one contact, page by page', async () => {
    const contact = await ws.contact({ name: 'Lister' });
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await ws.sessionOf(contact)).id);
    await ws.sessionOf(null);
    const seen: string[] = [];
    let cursor: string | null | undefined = null;
    do {
      const query: { contactId: string; limit: number; cursor?: string } = {
        contactId: contact.id,
        limit: 3,
        ...(cursor ? { cursor } : {}),
      };
      const { data: page } = await ws.rest.GET('/sessions', { params: { query } });
      seen.push(...(page?.sessions.map((s) => s.id) ?? []));
      cursor = page?.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids);
  });
});

describe('bulk upsert of sessions', () => {
  it('links by contact id or external id, reports unknown contacts, and is idempotent', async () => {
    const fresh = await fixture(server, 'Bulk sessions');
    const contacts = await fresh.trpc.contacts.bulkUpsert.mutate({
      contacts: [{ externalId: 'c-1' }, { externalId: 'c-2' }],
    });
    const body = {
      sessions: [
        { externalId: 's-1', contactExternalId: 'c-1', name: 'one' },
        { externalId: 's-2', contactId: contacts.ids[1] ?? '' },
        { externalId: 's-3', contactExternalId: 'missing' },
        { externalId: 's-4' },
      ],
    };
    const { data: first } = await fresh.rest.POST('/sessions/bulk', { body });
    expect(first).toMatchObject({ created: 3, updated: 0, errors: [{ index: 2, code: 'NOT_FOUND' }] });
    const { data: second } = await fresh.rest.POST('/sessions/bulk', { body });
    expect(second).toMatchObject({ created: 0, updated: 3 });
    expect(second?.ids).toEqual(first?.ids);
    const { data: page } = await fresh.rest.GET('/sessions', {});
    expect(page?.sessions.map((s) => [s.externalId, s.contactId, s.name]).sort()).toEqual([
      ['s-1', contacts.ids[0], 'one'],
      ['s-2', contacts.ids[1], ''],
      ['s-4', null, ''],
    ]);
    // Leaving the link out keeps it; null unlinks.
    await fresh.rest.POST('/sessions/bulk', {
      body: {
        sessions: [
          { externalId: 's-1', name: 'renamed' },
          { externalId: 's-2', contactId: null },
        ],
      },
    });
    const { data: after } = await fresh.rest.GET('/sessions', {});
    expect(after?.sessions.map((s) => [s.externalId, s.contactId, s.name]).sort()).toEqual([
      ['s-1', contacts.ids[0], 'renamed'],
      ['s-2', null, ''],
      ['s-4', null, ''],
    ]);
  });

  it('moves inherited tags when bulk upsert relinks sessions', async () => {
    const [from, to] = [await ws.contact({ name: 'From' }), await ws.contact({ name: 'To' })];
    const tag = await ws.tag({ name: 'Bulk relink' });
    await ws.tagContact(to, tag);
    const session = await ws.sessionOf(from, { externalId: 'bulk-relink' });
    expect(await sessionTags(session.id)).toEqual([]);
    await ws.rest.POST('/sessions/bulk', { body: { sessions: [{ externalId: 'bulk-relink', contactId: to.id }] } });
    expect(await sessionTags(session.id)).toEqual([
      { tag_id: tag.id, source_type: 'inherited', source_entity_id: to.id },
    ]);
  });
});
