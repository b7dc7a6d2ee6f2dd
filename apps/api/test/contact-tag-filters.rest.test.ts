import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { fixture, type WorkspaceFixture } from '../testing/workspace-fixture.ts';

/**
 * The filters of document 001 and beyond, checked against a plain in-memory computation of the
 * expected contacts, sessions and totals over a seeded random data set.
 */
let server: TestServer;
let ws: WorkspaceFixture;
const tags: string[] = [];
const contactTags = new Map<string, Set<string>>();
const sessionContact = new Map<string, string | null>();
const sessionDirect = new Map<string, Set<string>>();

let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return (seed >>> 8) / 2 ** 23;
};

/** The ids of a bulk upsert that had to accept every item. */
const everyId = (ids: (string | null)[]) =>
  ids.map((id) => {
    if (id === null) throw new Error('a bulk item was refused');
    return id;
  });
const assignment = (tagId: string, contactId: string) => ({ params: { path: { tagId, contactId } } });

beforeAll(async () => {
  server = await startTestServer();
  ws = await fixture(server, 'Filters');
  for (let i = 0; i < 5; i++) tags.push((await ws.tag({ name: `F${i}` })).id);
  const contacts = await ws.trpc.contacts.bulkUpsert.mutate({ contacts: Array.from({ length: 40 }, () => ({})) });
  for (const contact of everyId(contacts.ids)) {
    const chosen = new Set(tags.filter(() => random() < 0.35));
    contactTags.set(contact, chosen);
    for (const tag of chosen) {
      const { response } = await ws.rest.POST('/tags/{tagId}/contacts/{contactId}', assignment(tag, contact));
      expect(response.status).toBe(200);
    }
  }
  const contactIds = [...contactTags.keys()];
  const sessions = await ws.trpc.sessions.bulkUpsert.mutate({
    sessions: Array.from({ length: 30 }, (_, i) => ({
      contactId: i % 4 === 0 ? null : (contactIds[i % contactIds.length] ?? null),
    })),
  });
  for (const [i, session] of everyId(sessions.ids).entries()) {
    sessionContact.set(session, i % 4 === 0 ? null : (contactIds[i % contactIds.length] ?? null));
    const direct = new Set(tags.filter(() => random() < 0.2));
    sessionDirect.set(session, direct);
    for (const tag of direct) await ws.tagSession({ id: session }, { id: tag });
  }
});
afterAll(() => server.close());

type Filter = { tagIds: string[]; match: 'any' | 'all'; exclude: string[] };

const matches = (has: Set<string>, filter: Filter) =>
  (filter.tagIds.length === 0 ||
    (filter.match === 'all' ? filter.tagIds.every((t) => has.has(t)) : filter.tagIds.some((t) => has.has(t)))) &&
  !filter.exclude.some((t) => has.has(t));

const sessionTagSet = (session: string) => {
  const contact = sessionContact.get(session);
  return new Set([...(sessionDirect.get(session) ?? []), ...(contact ? (contactTags.get(contact) ?? []) : [])]);
};

/** The filter as the list routes' query parameters (comma-separated id lists). */
const query = (filter: Filter) => ({
  ...(filter.tagIds.length ? { tag_ids: filter.tagIds.join(',') } : {}),
  ...(filter.match === 'all' ? { tag_match: 'all' as const } : {}),
  ...(filter.exclude.length ? { exclude_tag_ids: filter.exclude.join(',') } : {}),
});

/** Every page of a filtered list, 7 at a time: the ids seen and every `total` the pages gave. */
async function walk(key: 'contacts' | 'sessions', filter: Filter) {
  const ids: string[] = [];
  const totals = new Set<number>();
  let cursor: string | null | undefined = null;
  do {
    const params: { query: ReturnType<typeof query> & { limit: number; cursor?: string } } = {
      query: { ...query(filter), limit: 7, ...(cursor ? { cursor } : {}) },
    };
    const { data: page, response } =
      key === 'contacts' ? await ws.rest.GET('/contacts', { params }) : await ws.rest.GET('/sessions', { params });
    expect(response.status).toBe(200);
    if (!page) throw new Error('no page');
    ids.push(...('contacts' in page ? page.contacts : page.sessions).map((record) => record.id));
    totals.add(page.total);
    cursor = page.nextCursor;
  } while (cursor);
  return { ids, totals: [...totals] };
}

const filters = (): Filter[] => {
  const [a = '', b = '', c = '', d = ''] = tags;
  return [
    { tagIds: [a], match: 'any', exclude: [] },
    { tagIds: [a, b, c], match: 'any', exclude: [] },
    { tagIds: [a, b], match: 'all', exclude: [] },
    { tagIds: [a, b, c], match: 'all', exclude: [] },
    { tagIds: [], match: 'any', exclude: [d] },
    { tagIds: [a, b], match: 'any', exclude: [c] },
    { tagIds: [b, c], match: 'all', exclude: [a, d] },
    { tagIds: [a, a, b], match: 'any', exclude: [] },
  ];
};

describe('contact filters', () => {
  it('match the in-memory computation, with a total that counts each contact once', async () => {
    for (const filter of filters()) {
      const expected = [...contactTags].filter(([, has]) => matches(has, filter)).map(([id]) => id);
      const { ids, totals } = await walk('contacts', filter);
      expect(ids.sort(), JSON.stringify(filter)).toEqual(expected.sort());
      expect(totals).toEqual([expected.length]);
    }
  });

  it('match nothing for an id of no tag, and reject malformed tag lists', async () => {
    // An id that names no tag is not a validation error (issue 14): it matches no contact.
    expect((await ws.rest.GET('/contacts', { params: { query: { tag_ids: 'nope' } } })).data).toMatchObject({
      contacts: [],
      total: 0,
    });
    expect((await ws.raw('GET', `/api/contacts?tag_ids=${'x'.repeat(256)}`)).status).toBe(400);
    // A match mode the typed client cannot send.
    expect((await ws.raw('GET', '/api/contacts?tag_match=some')).status).toBe(400);
  });

  it('read a repeated parameter (`tag_ids=a&tag_ids=b`, as qs-style clients send arrays) as the list', async () => {
    const [a = '', b = ''] = tags;
    // A repeated parameter is what the typed client does not send.
    const repeated = await ws.raw('GET', `/api/contacts?tag_ids=${a}&tag_ids=${b}&tag_match=all&limit=500`);
    expect(repeated.status).toBe(200);
    const listed = await walk('contacts', { tagIds: [a, b], match: 'all', exclude: [] });
    const body = repeated.body as { contacts: { id: string }[]; total: number };
    expect(body.contacts.map((contact) => contact.id).sort()).toEqual(listed.ids.sort());
    expect([body.total]).toEqual(listed.totals);
  });
});

describe('session filters', () => {
  it('count inherited tags like direct ones', async () => {
    for (const filter of filters()) {
      const expected = [...sessionContact.keys()].filter((session) => matches(sessionTagSet(session), filter));
      const { ids, totals } = await walk('sessions', filter);
      expect(ids.sort(), JSON.stringify(filter)).toEqual(expected.sort());
      expect(totals).toEqual([expected.length]);
    }
  });
});

describe('contact tag assignment', () => {
  it('is idempotent both ways and inherits to sessions', async () => {
    const tag = await ws.tag({ name: 'Assign' });
    const contact = await ws.contact();
    await ws.sessionOf(contact);
    const path = assignment(tag.id, contact.id);
    expect((await ws.rest.POST('/tags/{tagId}/contacts/{contactId}', path)).data).toEqual({
      success: true,
      changed: true,
      sessionsAffected: 1,
    });
    expect((await ws.rest.POST('/tags/{tagId}/contacts/{contactId}', path)).data).toEqual({
      success: true,
      changed: false,
      sessionsAffected: 0,
    });
    expect((await ws.rest.DELETE('/tags/{tagId}/contacts/{contactId}', path)).data).toEqual({
      success: true,
      changed: true,
      sessionsAffected: 1,
    });
    expect((await ws.rest.DELETE('/tags/{tagId}/contacts/{contactId}', path)).data).toMatchObject({ changed: false });
  });

  it('is 404 when the tag or the contact is not in the workspace', async () => {
    const other = await fixture(server, 'Other');
    const foreignTag = await other.tag({ name: 'Foreign' });
    const contact = await ws.contact();
    const tag = await ws.tag({ name: 'Mine' });
    const foreign = assignment(foreignTag.id, contact.id);
    expect((await ws.rest.POST('/tags/{tagId}/contacts/{contactId}', foreign)).response.status).toBe(404);
    expect((await ws.rest.DELETE('/tags/{tagId}/contacts/{contactId}', foreign)).response.status).toBe(404);
    const missing = assignment(tag.id, 'contact_00000000-0000-7000-8000-000000000000');
    expect((await ws.rest.POST('/tags/{tagId}/contacts/{contactId}', missing)).response.status).toBe(404);
  });
});
