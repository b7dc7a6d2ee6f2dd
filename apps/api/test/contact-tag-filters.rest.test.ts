import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContactPage, SessionPage } from '@tagging/contracts';
import { restCall, startTestServer, type TestServer, type TestWorkspace } from '../testing/test-server.ts';

/**
 * The filters of document 001 and beyond, checked against a plain in-memory computation of the
 * expected contacts, sessions and totals over a seeded random data set.
 */
let server: TestServer;
let ws: TestWorkspace;
const tags: string[] = [];
const contactTags = new Map<string, Set<string>>();
const sessionContact = new Map<string, string | null>();
const sessionDirect = new Map<string, Set<string>>();

const call = (method: string, path: string, body?: unknown, workspace = ws) =>
  restCall(server, method, path, { body, apiKey: workspace.apiKey });

let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return (seed >>> 8) / 2 ** 23;
};

beforeAll(async () => {
  server = await startTestServer();
  ws = await server.newWorkspace('Filters');
  for (let i = 0; i < 5; i++)
    tags.push(((await call('POST', '/api/tags', { name: `F${i}` })).body as { id: string }).id);
  const contacts = (await call('POST', '/api/contacts/bulk', { contacts: Array.from({ length: 40 }, () => ({})) }))
    .body as {
    ids: string[];
  };
  for (const contact of contacts.ids as string[]) {
    const chosen = new Set(tags.filter(() => random() < 0.35));
    contactTags.set(contact, chosen);
    for (const tag of chosen) {
      const response = await call('POST', `/api/tags/${tag}/contacts/${contact}`);
      expect(response.status).toBe(200);
    }
  }
  const contactIds = [...contactTags.keys()];
  const sessions = (
    await call('POST', '/api/sessions/bulk', {
      sessions: Array.from({ length: 30 }, (_, i) => ({
        contactId: i % 4 === 0 ? null : contactIds[i % contactIds.length],
      })),
    })
  ).body as { ids: string[] };
  for (const [i, session] of (sessions.ids as string[]).entries()) {
    sessionContact.set(session, i % 4 === 0 ? null : (contactIds[i % contactIds.length] ?? null));
    const direct = new Set(tags.filter(() => random() < 0.2));
    sessionDirect.set(session, direct);
    for (const tag of direct)
      await call('POST', `/api/entity-tags/sessions/${session}/tags?workspaceId=${ws.id}`, { tagId: tag });
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

const query = (filter: Filter) =>
  [
    filter.tagIds.length ? `tag_ids=${filter.tagIds.join(',')}` : '',
    filter.match === 'all' ? 'tag_match=all' : '',
    filter.exclude.length ? `exclude_tag_ids=${filter.exclude.join(',')}` : '',
  ]
    .filter(Boolean)
    .join('&');

async function walk(path: string, key: 'contacts' | 'sessions') {
  const ids: string[] = [];
  const totals = new Set<number>();
  let cursor: string | null = null;
  do {
    const response = await call(
      'GET',
      `${path}${path.includes('?') ? '&' : '?'}limit=7${cursor ? `&cursor=${cursor}` : ''}`,
    );
    expect(response.status).toBe(200);
    const page = response.body as ContactPage & SessionPage;
    ids.push(...page[key].map((record) => record.id));
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
      const { ids, totals } = await walk(`/api/contacts?${query(filter)}`, 'contacts');
      expect(ids.sort(), JSON.stringify(filter)).toEqual(expected.sort());
      expect(totals).toEqual([expected.length]);
    }
  });

  it('match nothing for an id of no tag, and reject malformed tag lists', async () => {
    // An id that names no tag is not a validation error (issue 14): it matches no contact.
    expect((await call('GET', '/api/contacts?tag_ids=nope')).body).toMatchObject({ contacts: [], total: 0 });
    expect((await call('GET', `/api/contacts?tag_ids=${'x'.repeat(256)}`)).status).toBe(400);
    expect((await call('GET', '/api/contacts?tag_match=some')).status).toBe(400);
  });

  it('read a repeated parameter (`tag_ids=a&tag_ids=b`, as qs-style clients send arrays) as the list', async () => {
    const [a = '', b = ''] = tags;
    const repeated = await walk(`/api/contacts?tag_ids=${a}&tag_ids=${b}&tag_match=all`, 'contacts');
    const listed = await walk(`/api/contacts?tag_ids=${a},${b}&tag_match=all`, 'contacts');
    expect(repeated.ids.sort()).toEqual(listed.ids.sort());
    expect(repeated.totals).toEqual(listed.totals);
  });
});

describe('session filters', () => {
  it('count inherited tags like direct ones', async () => {
    for (const filter of filters()) {
      const expected = [...sessionContact.keys()].filter((session) => matches(sessionTagSet(session), filter));
      const { ids, totals } = await walk(`/api/sessions?${query(filter)}`, 'sessions');
      expect(ids.sort(), JSON.stringify(filter)).toEqual(expected.sort());
      expect(totals).toEqual([expected.length]);
    }
  });
});

describe('contact tag assignment', () => {
  it('is idempotent both ways and inherits to sessions', async () => {
    const tag = ((await call('POST', '/api/tags', { name: 'Assign' })).body as { id: string }).id;
    const contact = ((await call('POST', '/api/contacts', {})).body as { id: string }).id;
    await call('POST', '/api/sessions', { contactId: contact });
    expect((await call('POST', `/api/tags/${tag}/contacts/${contact}`)).body).toEqual({
      success: true,
      changed: true,
      sessionsAffected: 1,
    });
    expect((await call('POST', `/api/tags/${tag}/contacts/${contact}`)).body).toEqual({
      success: true,
      changed: false,
      sessionsAffected: 0,
    });
    expect((await call('DELETE', `/api/tags/${tag}/contacts/${contact}`)).body).toEqual({
      success: true,
      changed: true,
      sessionsAffected: 1,
    });
    expect((await call('DELETE', `/api/tags/${tag}/contacts/${contact}`)).body).toMatchObject({ changed: false });
  });

  it('is 404 when the tag or the contact is not in the workspace', async () => {
    const other = await server.newWorkspace('Other');
    const foreignTag = ((await call('POST', '/api/tags', { name: 'Foreign' }, other)).body as { id: string }).id;
    const contact = ((await call('POST', '/api/contacts', {})).body as { id: string }).id;
    const tag = ((await call('POST', '/api/tags', { name: 'Mine' })).body as { id: string }).id;
    expect((await call('POST', `/api/tags/${foreignTag}/contacts/${contact}`)).status).toBe(404);
    expect((await call('DELETE', `/api/tags/${foreignTag}/contacts/${contact}`)).status).toBe(404);
    expect((await call('POST', `/api/tags/${tag}/contacts/contact_00000000-0000-7000-8000-000000000000`)).status).toBe(
      404,
    );
  });
});
