import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findInvariantViolations } from '@tagging/domain';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { fixture, type WorkspaceFixture } from '../testing/workspace-fixture.ts';

let server: TestServer;
let ws: WorkspaceFixture;

beforeAll(async () => {
  server = await startTestServer({ propagation: { syncFanOutLimit: 5 }, batchSize: 2 });
  ws = await fixture(server, 'Entity tags');
});
afterAll(() => server.close());

const newTag = async (name: string) => (await ws.tag({ name, color: '#FF5733' })).id;
const newContact = async () => (await ws.contact({ name: 'C' })).id;
const newSession = async (contactId?: string) => (await ws.sessionOf(contactId ? { id: contactId } : null)).id;

const tagContact = (contactId: string, tagId: string) =>
  ws.rest.POST('/entity-tags/contacts/{contactId}/tags', { ...ws.scoped({ contactId }), body: { tagId } });
const tagSession = (sessionId: string, tagId: string, propagateToContact?: 'true' | 'false') =>
  ws.rest.POST('/entity-tags/sessions/{sessionId}/tags', {
    ...ws.scoped({ sessionId }),
    body: { tagId, ...(propagateToContact ? { propagateToContact } : {}) },
  });
const untagContact = (contactId: string, tagId: string) =>
  ws.rest.DELETE('/entity-tags/contacts/{contactId}/tags/{tagId}', ws.scoped({ contactId, tagId }));
const untagSession = (sessionId: string, tagId: string) =>
  ws.rest.DELETE('/entity-tags/sessions/{sessionId}/tags/{tagId}', ws.scoped({ sessionId, tagId }));
const appliedTags = async (kind: 'contacts' | 'sessions', id: string) => {
  const { data } =
    kind === 'contacts'
      ? await ws.rest.GET('/entity-tags/contacts/{contactId}/tags', ws.scoped({ contactId: id }))
      : await ws.rest.GET('/entity-tags/sessions/{sessionId}/tags', ws.scoped({ sessionId: id }));
  if (!data) throw new Error(`no tags of ${id}`);
  return data.tags;
};
const tagsOf = async (kind: 'contacts' | 'sessions', id: string) =>
  (await appliedTags(kind, id)).map((t) => [t.tag.name, t.sourceType, t.sourceEntityId ?? null]);

const expectHealthy = async () => expect(await findInvariantViolations(server.db.fork())).toEqual([]);

describe('the documented flow', () => {
  it('tags a contact, propagates to its sessions, reads, untags', async () => {
    const vip = await newTag('VIP Customer');
    const followUp = await newTag('Follow Up');
    const contact = await newContact();
    const [abc, def] = [await newSession(contact), await newSession(contact)];

    const tagged = await tagContact(contact, vip);
    expect(tagged.response.status).toBe(201);
    expect(tagged.data).toMatchObject({
      success: true,
      contactTag: { entityType: 'contact', entityId: contact, tagId: vip, sourceType: 'direct' },
      propagatedToSessions: 2,
    });
    expect(tagged.data?.contactTag.id).toMatch(/^etag_/);

    const sessionTagged = await tagSession(abc, followUp);
    expect(sessionTagged.response.status).toBe(201);
    expect(sessionTagged.data).toMatchObject({
      success: true,
      sessionTag: { entityType: 'session', entityId: abc, tagId: followUp, sourceType: 'direct' },
      propagatedToContact: false,
    });

    expect(await tagsOf('contacts', contact)).toEqual([['VIP Customer', 'direct', null]]);
    expect((await tagsOf('sessions', abc)).sort()).toEqual([
      ['Follow Up', 'direct', null],
      ['VIP Customer', 'inherited', contact],
    ]);
    expect((await appliedTags('sessions', abc)).find((t) => t.sourceType === 'inherited')).toMatchObject({
      tag: { id: vip, name: 'VIP Customer', color: '#FF5733' },
      sourceEntityType: 'contact',
      sourceEntityId: contact,
    });
    expect(await tagsOf('sessions', def)).toEqual([['VIP Customer', 'inherited', contact]]);

    const entities = await ws.rest.GET('/entity-tags/tags/{tagId}/entities', ws.scoped({ tagId: vip }));
    expect(entities.data?.entities.map((e) => [e.entityType, e.entityId, e.sourceType])).toEqual(
      expect.arrayContaining([
        ['contact', contact, 'direct'],
        ['session', abc, 'inherited'],
        ['session', def, 'inherited'],
      ]),
    );
    const onlyInherited = await ws.rest.GET('/entity-tags/tags/{tagId}/entities', {
      params: {
        path: { tagId: vip },
        query: { workspaceId: ws.id, entityType: 'session', sourceType: 'inherited' },
      },
    });
    expect(onlyInherited.data?.entities).toHaveLength(2);
    expect(onlyInherited.data?.entities[0]).toMatchObject({ sourceEntityType: 'contact', sourceEntityId: contact });

    const sync = await ws.rest.POST('/entity-tags/sessions/{sessionId}/sync-tags', ws.scoped({ sessionId: abc }));
    expect(sync.data).toEqual({ success: true, addedTags: 0, removedTags: 0 });

    expect((await untagContact(contact, vip)).data).toEqual({ success: true, removedFromSessions: 2 });
    expect(await tagsOf('sessions', abc)).toEqual([['Follow Up', 'direct', null]]);
    expect((await untagSession(abc, followUp)).data).toEqual({ success: true });
    expect(await tagsOf('sessions', abc)).toEqual([]);
    await expectHealthy();
  });

  it('answers 409 for a tag already applied directly, 404 for unknown ids of any shape, 400 for missing ones', async () => {
    const tag = await newTag('Twice');
    const contact = await newContact();
    const session = await newSession();
    await tagContact(contact, tag);
    expect((await tagContact(contact, tag)).response.status).toBe(409);
    await tagSession(session, tag);
    expect((await tagSession(session, tag)).response.status).toBe(409);
    const missingTag = 'wtag_00000000-0000-7000-8000-000000000000';
    expect((await tagContact(contact, missingTag)).response.status).toBe(404);
    expect((await tagContact('contact_00000000-0000-7000-8000-000000000000', tag)).response.status).toBe(404);
    expect((await untagContact(contact, missingTag)).response.status).toBe(404);
    expect((await tagContact(contact, 'VIP')).response.status).toBe(404);
    // What the typed client cannot send: no tagId, a tagId that is not a string, an entity type that does not exist.
    expect(
      (await ws.raw('POST', `/api/entity-tags/contacts/${contact}/tags?workspaceId=${ws.id}`, { body: {} })).status,
    ).toBe(400);
    expect(
      (await ws.raw('POST', `/api/entity-tags/contacts/${contact}/tags?workspaceId=${ws.id}`, { body: { tagId: 42 } }))
        .status,
    ).toBe(400);
    expect(
      (await ws.raw('GET', `/api/entity-tags/tags/${tag}/entities?workspaceId=${ws.id}&entityType=robot`)).status,
    ).toBe(400);
  });

  it('requires workspaceId in the query string and refuses another workspace', async () => {
    const contact = await newContact();
    const other = await fixture(server, 'Other');
    const noWorkspace = await ws.raw('GET', `/api/entity-tags/contacts/${contact}/tags`);
    expect(noWorkspace.status).toBe(400);
    expect(noWorkspace.body).toMatchObject({ issues: [{ path: ['workspaceId'] }] });
    const foreign = await other.rest.GET(
      '/entity-tags/contacts/{contactId}/tags',
      other.scoped({ contactId: contact }),
    );
    expect(foreign.response.status).toBe(404);
    const forbidden = await ws.rest.GET('/entity-tags/contacts/{contactId}/tags', other.scoped({ contactId: contact }));
    expect(forbidden.response.status).toBe(403);
  });
});

describe('inheritance edge rules', () => {
  it('session untag falls back to inherited; untagging an inherited tag is a 409 naming the contact', async () => {
    const tag = await newTag('Fallback');
    const contact = await newContact();
    const session = await newSession(contact);
    await tagSession(session, tag);
    await tagContact(contact, tag);
    expect(await tagsOf('sessions', session)).toEqual([['Fallback', 'direct', null]]);
    await untagSession(session, tag);
    expect(await tagsOf('sessions', session)).toEqual([['Fallback', 'inherited', contact]]);
    const refused = await untagSession(session, tag);
    expect(refused.response.status).toBe(409);
    expect(refused.error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(contact) });
    // Tagging it directly makes the inherited row direct.
    expect((await tagSession(session, tag)).response.status).toBe(201);
    expect(await tagsOf('sessions', session)).toEqual([['Fallback', 'direct', null]]);
    await expectHealthy();
  });

  it('propagateToContact tags the contact from the session and reaches its other sessions', async () => {
    const tag = await newTag('Up and down');
    const contact = await newContact();
    const [origin, sibling] = [await newSession(contact), await newSession(contact)];
    const response = await tagSession(origin, tag, 'true');
    expect(response.data).toMatchObject({ propagatedToContact: true, sessionTag: { sourceType: 'direct' } });
    expect(await tagsOf('contacts', contact)).toEqual([['Up and down', 'inherited', origin]]);
    expect(await tagsOf('sessions', sibling)).toEqual([['Up and down', 'inherited', contact]]);
    expect(await tagsOf('sessions', origin)).toEqual([['Up and down', 'direct', null]]);
    // "false" as a string is false, not Boolean("false").
    const other = await newSession(contact);
    const tag2 = await newTag('Stays down');
    const noPropagation = await tagSession(other, tag2, 'false');
    expect(noPropagation.data).toMatchObject({ propagatedToContact: false });
    expect(await tagsOf('contacts', contact)).toEqual([['Up and down', 'inherited', origin]]);
    // The contact row goes only with the contact's untag; sibling and the newer session lose it.
    expect((await untagContact(contact, tag)).data).toMatchObject({ removedFromSessions: 2 });
    expect(await tagsOf('sessions', origin)).toEqual([['Up and down', 'direct', null]]);
    await expectHealthy();
  });

  it('sync-tags repairs rows written behind the service', async () => {
    const tag = await newTag('Repair');
    const contact = await newContact();
    const session = await newSession(contact);
    await tagContact(contact, tag);
    await server.db.fork().execute(`delete from entity_tag where workspace_id = ? and entity_id = ?`, [ws.id, session]);
    expect(await findInvariantViolations(server.db.fork())).toHaveLength(1);
    const sync = await ws.rest.POST('/entity-tags/sessions/{sessionId}/sync-tags', ws.scoped({ sessionId: session }));
    expect(sync.data).toEqual({ success: true, addedTags: 1, removedTags: 0 });
    await expectHealthy();
  });
});

describe('bulk', () => {
  it('tags mixed contacts and sessions, skips what is there, reports bad items and applies the rest', async () => {
    const tag = await newTag('Bulk');
    const [c1, c2] = [await newContact(), await newContact()];
    const [s1, s2] = [await newSession(c1), await newSession()];
    await tagSession(s2, tag);
    const { data: result } = await ws.rest.POST('/entity-tags/bulk/tag', {
      params: { query: { workspaceId: ws.id } },
      body: {
        tagId: tag,
        entities: [
          { entityType: 'contact', entityId: c1 },
          { entityType: 'contact', entityId: c2 },
          { entityType: 'session', entityId: s2 },
          { entityType: 'session', entityId: 'x' },
          { entityType: 'session', entityId: 'wses_00000000-0000-7000-8000-000000000000' },
          { entityType: 'contact', entityId: c1 },
        ],
      },
    });
    // s2 had it; c1's repeat is c1 again, counted once (in `tagged`).
    expect(result).toMatchObject({ success: true, tagged: 2, skipped: 1, propagatedToSessions: 1 });
    expect(result?.errors.map((e) => [e.index, e.code])).toEqual([
      [3, 'NOT_FOUND'],
      [4, 'NOT_FOUND'],
    ]);
    expect(await tagsOf('sessions', s1)).toEqual([['Bulk', 'inherited', c1]]);

    const untag = await ws.rest.POST('/entity-tags/bulk/untag', {
      params: { query: { workspaceId: ws.id } },
      body: {
        tagId: tag,
        entities: [
          { entityType: 'session', entityId: s1 },
          { entityType: 'contact', entityId: c2 },
          { entityType: 'session', entityId: s2 },
        ],
      },
    });
    expect(untag.data).toMatchObject({ untagged: 2, skipped: 0, errors: [{ index: 0, code: 'CONFLICT' }] });
    expect(await tagsOf('sessions', s2)).toEqual([]);
    await expectHealthy();
  });

  it('counts a repeated entity once, in tagged or untagged, never in skipped (REST and tRPC)', async () => {
    const tag = await newTag('Repeated');
    const contact = await newContact();
    const session = await newSession();
    // The same entity three times, once in the bare-UUID form of its id.
    const thrice = (entityType: 'contact' | 'session', id: string) =>
      [id, id, id.slice(id.indexOf('_') + 1)].map((entityId) => ({ entityType, entityId }));
    const entities = [...thrice('session', session), ...thrice('contact', contact)];
    const bulk = (path: '/entity-tags/bulk/tag' | '/entity-tags/bulk/untag') =>
      ws.rest.POST(path, { params: { query: { workspaceId: ws.id } }, body: { tagId: tag, entities } });

    expect((await bulk('/entity-tags/bulk/tag')).data).toMatchObject({ tagged: 2, skipped: 0, errors: [] });
    expect((await bulk('/entity-tags/bulk/tag')).data).toMatchObject({ tagged: 0, skipped: 2, errors: [] });
    expect((await bulk('/entity-tags/bulk/untag')).data).toMatchObject({ untagged: 2, skipped: 0, errors: [] });
    expect((await bulk('/entity-tags/bulk/untag')).data).toMatchObject({ untagged: 0, skipped: 2, errors: [] });
    const input = { workspaceId: ws.id, tagId: tag, entities };
    expect(await ws.trpc.entityTags.bulkTag.mutate(input)).toMatchObject({ tagged: 2, skipped: 0 });
    expect(await ws.trpc.entityTags.bulkUntag.mutate(input)).toMatchObject({ untagged: 2, skipped: 0 });
    await expectHealthy();
  });

  it('refuses more than 10,000 entities with 413', async () => {
    const tag = await newTag('Too many');
    const entities = Array.from({ length: 10_001 }, () => ({ entityType: 'contact' as const, entityId: 'x' }));
    const response = await ws.rest.POST('/entity-tags/bulk/tag', {
      params: { query: { workspaceId: ws.id } },
      body: { tagId: tag, entities },
    });
    expect(response.response.status).toBe(413);
  });
});

describe('deferred propagation', () => {
  it('commits the contact row at once and finishes the sessions in a background job', async () => {
    const tag = await newTag('Big fan-out');
    const contact = await newContact();
    const sessions: string[] = [];
    for (let i = 0; i < 7; i++) sessions.push(await newSession(contact));
    const { data: response } = await tagContact(contact, tag);
    expect(response?.propagatedToSessions).toBe(0);
    expect(response?.deferred).toMatchObject({ status: 'pending', sessions: 6 });
    expect(await tagsOf('contacts', contact)).toEqual([['Big fan-out', 'direct', null]]);
    await server.waitForJobs();
    // The status URL the answer gives is one to follow as it is.
    const job = await ws.raw('GET', response?.deferred?.statusUrl ?? '');
    expect(job.body).toMatchObject({ status: 'done', processedSessions: 7, kind: 'tag-contact' });
    for (const session of sessions)
      expect(await tagsOf('sessions', session)).toEqual([['Big fan-out', 'inherited', contact]]);
    await expectHealthy();

    // Up to the limit (5) + 1 go at once, the one left in a job.
    const untag = await untagContact(contact, tag);
    expect(untag.data).toMatchObject({ removedFromSessions: 6, deferred: { status: 'pending', sessions: 1 } });
    await server.waitForJobs();
    for (const session of sessions) expect(await tagsOf('sessions', session)).toEqual([]);
    await expectHealthy();
  });
});
