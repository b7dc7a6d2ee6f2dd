import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findEventFeedViolations, findInvariantViolations, listEvents, noActor, tagContact } from '@tagging/domain';
import { sequenceAllEvents } from '@tagging/domain/testing';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { fixture, type WorkspaceFixture } from '../testing/workspace-fixture.ts';

/** The outbox: one event per entity whose own tags changed, in the change's transaction. */
let server: TestServer;
let ws: WorkspaceFixture;

beforeAll(async () => {
  server = await startTestServer({ propagation: { syncFanOutLimit: 3 } });
  ws = await fixture(server, 'Events');
});
afterAll(() => server.close());

const feed = async (after = 0) => {
  await sequenceAllEvents(server.db);
  return (await listEvents(server.db.fork(), ws.id, { after, limit: 1000 })).events;
};

describe('change events', () => {
  it('writes one event per changed entity, summarising what sessions inherited', async () => {
    const start = (await feed()).at(-1)?.seq ?? 0;
    const tag = await ws.tag({ name: 'Outbox' });
    const contact = await ws.contact();
    const sessions = await Promise.all([ws.sessionOf(contact), ws.sessionOf(contact)]);
    await ws.tagContact(contact, tag);
    const [first] = sessions;
    if (!first) throw new Error('no session');
    await ws.tagSession(first, tag);
    await ws.trpc.entityTags.untagSession.mutate({ workspaceId: ws.id, sessionId: first.id, tagId: tag.id });
    await ws.trpc.entityTags.untagContact.mutate({ workspaceId: ws.id, contactId: contact.id, tagId: tag.id });

    const events = await feed(start);
    expect(events.map((e) => e.type)).toEqual([
      'tag.created',
      'contact.tagged',
      'session.tagged',
      'session.untagged',
      'contact.untagged',
    ]);
    expect(events[1]?.data).toMatchObject({
      entityId: contact.id,
      tagId: tag.id,
      sourceType: 'direct',
      sessionsInherited: 2,
    });
    expect(events[3]?.data).toMatchObject({ entityId: first.id, stillInherited: true });
    expect(events[4]?.data).toMatchObject({ sessionsLost: 2, propagationJobId: null });
    // Numbers are consecutive within the workspace and the cursor pages on.
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => start + 1 + i));
    expect(await feed(events.at(-1)?.seq)).toEqual([]);
  });

  it('bulk: one event per entity, one statement of events', async () => {
    const tag = await ws.tag();
    const contacts = await Promise.all(Array.from({ length: 5 }, () => ws.contact()));
    const start = (await feed()).at(-1)?.seq ?? 0;
    const { data } = await ws.rest.POST('/entity-tags/bulk/tag', {
      params: { query: { workspaceId: ws.id } },
      body: { tagId: tag.id, entities: contacts.map((c) => ({ entityType: 'contact' as const, entityId: c.id })) },
    });
    expect(data).toMatchObject({ tagged: 5 });
    const events = await feed(start);
    expect(events.filter((e) => e.type === 'contact.tagged')).toHaveLength(5);
  });

  it('a rolled-back change emits nothing', async () => {
    const tag = await ws.tag();
    const contact = await ws.contact();
    const start = (await feed()).at(-1)?.seq ?? 0;
    await expect(
      server.db.fork().transactional(async (em) => {
        await tagContact(
          em,
          ws.id,
          { workspaceId: ws.id, contactId: contact.id, tagId: tag.id },
          { syncFanOutLimit: 3 },
          noActor,
        );
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await feed(start)).toEqual([]);
    // A refused change (409) emits nothing either.
    await ws.tagContact(contact, tag);
    await expect(ws.tagContact(contact, tag)).rejects.toThrow();
    expect((await feed(start)).map((e) => e.type)).toEqual(['contact.tagged']);
  });

  it('the feed rebuilds every entity’s own tags', async () => {
    const a = await ws.tag();
    const b = await ws.tag();
    const pair = await ws.taggedPair({ tag: a });
    await ws.tagSession(pair.session, b);
    await ws.trpc.tags.merge.mutate({ id: a.id, sourceTagIds: [b.id] });
    const other = await ws.contact();
    const s = await ws.sessionOf(other);
    await ws.tagSession(s, a);
    await ws.trpc.sessions.delete.mutate({ id: s.id });
    await ws.trpc.contacts.delete.mutate({ id: pair.contact.id });
    await sequenceAllEvents(server.db);
    expect(await findEventFeedViolations(server.db.fork())).toEqual([]);
    expect(await findInvariantViolations(server.db.fork())).toEqual([]);
  });

  it('pages through GET /api/events by cursor and type, over REST and tRPC', async () => {
    const tag = await ws.tag();
    const contact = await ws.contact();
    await ws.tagContact(contact, tag);
    await sequenceAllEvents(server.db);
    const { data: all } = await ws.rest.GET('/events', { params: { query: { after: 0, limit: 2 } } });
    expect(all?.events).toHaveLength(2);
    expect(all?.hasMore).toBe(true);
    // `latestSeq`: the workspace's last event, whatever the page holds.
    const { data: everything } = await ws.rest.GET('/events', { params: { query: { after: 0, limit: 1000 } } });
    expect(all?.latestSeq).toBe(everything?.events.at(-1)?.seq);
    expect(everything?.latestSeq).toBe(everything?.nextCursor);
    const { data: next } = await ws.rest.GET('/events', {
      params: { query: { after: all?.nextCursor ?? 0, limit: 2 } },
    });
    expect(next?.events[0]?.seq).toBe((all?.nextCursor ?? 0) + 1);
    const typed = await ws.trpc.events.list.query({ types: 'contact.tagged,contact.untagged', limit: 1000 });
    expect(typed.events.length).toBeGreaterThan(0);
    expect(new Set(typed.events.map((e) => e.type))).toEqual(new Set(['contact.tagged', 'contact.untagged']));
    const { response } = await ws.rest.GET('/events', { params: { query: { types: 'contact.nope' } } });
    expect(response.status).toBe(400);
    // Another workspace's feed is its own.
    const other = await fixture(server, 'Other feed');
    expect((await other.trpc.events.list.query({})).events).toEqual([]);
  });
});
