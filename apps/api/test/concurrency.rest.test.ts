import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findInvariantViolations } from '@tagging/domain';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { fixture, type WorkspaceFixture } from '../testing/workspace-fixture.ts';

/**
 * Many writers on a small, contended set: tag and untag the same contacts while their sessions
 * are relinked, tagged directly, synced and bulk-tagged. Whatever the interleaving, no 500 and
 * the rules hold at the end (on PostgreSQL these really run in parallel transactions).
 */
let server: TestServer;
let ws: WorkspaceFixture;

beforeAll(async () => {
  server = await startTestServer();
  ws = await fixture(server, 'Contention');
});
afterAll(() => server.close());

const inWorkspace = () => ({ workspaceId: ws.id });

describe('concurrent writers', () => {
  it('never break the inheritance rules and never answer 500', async () => {
    const tags = [(await ws.tag({ name: 'A' })).id, (await ws.tag({ name: 'B' })).id];
    const contacts = [(await ws.contact()).id, (await ws.contact()).id];
    const sessions: string[] = [];
    for (let i = 0; i < 4; i++) sessions.push((await ws.sessionOf({ id: contacts[i % 2] ?? '' })).id);

    let seed = 7;
    const pick = <T>(values: readonly T[]): T => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const value = values[(seed >>> 16) % values.length];
      if (value === undefined) throw new Error('nothing to pick from');
      return value;
    };
    const operations = [
      () =>
        ws.rest.POST('/entity-tags/contacts/{contactId}/tags', {
          params: { path: { contactId: pick(contacts) }, query: inWorkspace() },
          body: { tagId: pick(tags) },
        }),
      () =>
        ws.rest.DELETE('/entity-tags/contacts/{contactId}/tags/{tagId}', {
          params: { path: { contactId: pick(contacts), tagId: pick(tags) }, query: inWorkspace() },
        }),
      () =>
        ws.rest.POST('/entity-tags/sessions/{sessionId}/tags', {
          params: { path: { sessionId: pick(sessions) }, query: inWorkspace() },
          body: { tagId: pick(tags), propagateToContact: pick([true, false]) },
        }),
      () =>
        ws.rest.DELETE('/entity-tags/sessions/{sessionId}/tags/{tagId}', {
          params: { path: { sessionId: pick(sessions), tagId: pick(tags) }, query: inWorkspace() },
        }),
      () =>
        ws.rest.PATCH('/sessions/{id}', {
          params: { path: { id: pick(sessions) } },
          body: { contactId: pick([...contacts, null]) },
        }),
      () =>
        ws.rest.POST('/entity-tags/sessions/{sessionId}/sync-tags', {
          params: { path: { sessionId: pick(sessions) }, query: inWorkspace() },
        }),
      () =>
        ws.rest.POST('/entity-tags/bulk/tag', {
          params: { query: inWorkspace() },
          body: {
            tagId: pick(tags),
            entities: [
              { entityType: 'contact', entityId: pick(contacts) },
              { entityType: 'session', entityId: pick(sessions) },
            ],
          },
        }),
      () =>
        ws.rest.POST('/entity-tags/bulk/untag', {
          params: { query: inWorkspace() },
          body: {
            tagId: pick(tags),
            entities: [
              { entityType: 'session', entityId: pick(sessions) },
              { entityType: 'contact', entityId: pick(contacts) },
            ],
          },
        }),
    ];
    const statuses: number[] = [];
    for (let round = 0; round < 12; round++) {
      const responses = await Promise.all(Array.from({ length: 10 }, () => pick(operations)()));
      statuses.push(...responses.map(({ response }) => response.status));
    }
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    expect(statuses.filter((status) => status === 200 || status === 201).length).toBeGreaterThan(20);
    expect(await findInvariantViolations(server.db.fork())).toEqual([]);
  });
});
