import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findInvariantViolations } from '@tagging/domain';
import { restCall, startTestServer, type TestServer, type TestWorkspace } from '../testing/test-server.ts';

/**
 * Many writers on a small, contended set: tag and untag the same contacts while their sessions
 * are relinked, tagged directly, synced and bulk-tagged. Whatever the interleaving, no 500 and
 * the rules hold at the end (on PostgreSQL these really run in parallel transactions).
 */
let server: TestServer;
let ws: TestWorkspace;

beforeAll(async () => {
  server = await startTestServer();
  ws = await server.newWorkspace('Contention');
});
afterAll(() => server.close());

const call = (method: string, path: string, body?: unknown) =>
  restCall(server, method, `${path}?workspaceId=${ws.id}`, { body, apiKey: ws.apiKey });
const id = async (path: string, body: unknown) =>
  ((await restCall(server, 'POST', path, { body, apiKey: ws.apiKey })).body as { id: string }).id;

describe('concurrent writers', () => {
  it('never break the inheritance rules and never answer 500', async () => {
    const tags = [await id('/api/tags', { name: 'A' }), await id('/api/tags', { name: 'B' })];
    const contacts = [await id('/api/contacts', {}), await id('/api/contacts', {})];
    const sessions: string[] = [];
    for (let i = 0; i < 4; i++) sessions.push(await id('/api/sessions', { contactId: contacts[i % 2] }));

    let seed = 7;
    const pick = <T>(values: T[]): T => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return values[(seed >>> 16) % values.length] as T;
    };
    const operations = [
      () => call('POST', `/api/entity-tags/contacts/${pick(contacts)}/tags`, { tagId: pick(tags) }),
      () => call('DELETE', `/api/entity-tags/contacts/${pick(contacts)}/tags/${pick(tags)}`),
      () =>
        call('POST', `/api/entity-tags/sessions/${pick(sessions)}/tags`, {
          tagId: pick(tags),
          propagateToContact: pick([true, false]),
        }),
      () => call('DELETE', `/api/entity-tags/sessions/${pick(sessions)}/tags/${pick(tags)}`),
      () =>
        restCall(server, 'PATCH', `/api/sessions/${pick(sessions)}`, {
          body: { contactId: pick([...contacts, null]) },
          apiKey: ws.apiKey,
        }),
      () => call('POST', `/api/entity-tags/sessions/${pick(sessions)}/sync-tags`),
      () =>
        call('POST', '/api/entity-tags/bulk/tag', {
          tagId: pick(tags),
          entities: [
            { entityType: 'contact', entityId: pick(contacts) },
            { entityType: 'session', entityId: pick(sessions) },
          ],
        }),
      () =>
        call('POST', '/api/entity-tags/bulk/untag', {
          tagId: pick(tags),
          entities: [
            { entityType: 'session', entityId: pick(sessions) },
            { entityType: 'contact', entityId: pick(contacts) },
          ],
        }),
    ];
    const statuses: number[] = [];
    for (let round = 0; round < 12; round++) {
      const responses = await Promise.all(Array.from({ length: 10 }, () => pick(operations)()));
      statuses.push(...responses.map((response) => response.status));
    }
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    expect(statuses.filter((status) => status === 200 || status === 201).length).toBeGreaterThan(20);
    expect(await findInvariantViolations(server.db.fork())).toEqual([]);
  });
});
