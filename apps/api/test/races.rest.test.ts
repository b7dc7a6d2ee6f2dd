import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findInvariantViolations } from '@tagging/domain';
import { restCall, startTestServer, type TestServer } from '../testing/test-server.ts';
import { fixture, type WorkspaceFixture } from '../testing/workspace-fixture.ts';
import { deadlocksSoFar } from './support/deadlocks.ts';

/**
 * Races on the same rows, through the real server: the same tag name created at once, bulk
 * operations overlapping on the same entities, a tag deleted while it is being applied. On
 * PostgreSQL the requests run in parallel transactions; on PGlite they interleave one statement
 * at a time. Either way: no 500, the documented outcome, and the inheritance rules hold.
 */
let server: TestServer;
let ws: WorkspaceFixture;

beforeAll(async () => {
  // A contact with more than one session hands its fan-out to the background worker, so jobs
  // race the requests too.
  server = await startTestServer({ propagation: { syncFanOutLimit: 1 } });
  ws = await fixture(server, 'Races');
});
afterAll(() => server.close());

const statusesOf = (responses: { response: Response }[]) => responses.map(({ response }) => response.status);
/** The ids of a bulk upsert that had to accept every item. */
const everyId = (ids: (string | null)[]) => ids.filter((id): id is string => id !== null);
const inWorkspace = () => ({ query: { workspaceId: ws.id } });
const bulkTag = (tagId: string, entities: { entityType: 'contact' | 'session'; entityId: string }[]) =>
  ws.rest.POST('/entity-tags/bulk/tag', { params: inWorkspace(), body: { tagId, entities } });
const bulkUntag = (tagId: string, entities: { entityType: 'contact' | 'session'; entityId: string }[]) =>
  ws.rest.POST('/entity-tags/bulk/untag', { params: inWorkspace(), body: { tagId, entities } });

/** `count` contacts, each with `sessionsEach` sessions; returns both id lists. */
async function contactsWithSessions(count: number, sessionsEach: number, prefix: string) {
  const contacts = everyId(
    (await ws.trpc.contacts.bulkUpsert.mutate({ contacts: Array.from({ length: count }, () => ({})) })).ids,
  );
  const sessions = everyId(
    (
      await ws.trpc.sessions.bulkUpsert.mutate({
        sessions: contacts.flatMap((contactId, c) =>
          Array.from({ length: sessionsEach }, (_, s) => ({ externalId: `${prefix}-${c}-${s}`, contactId })),
        ),
      })
    ).ids,
  );
  return { contacts, sessions };
}

async function tagRows(tagId: string) {
  return server.db
    .fork()
    .execute<{ entity_type: string; entity_id: string; source_type: string }[]>(
      'select entity_type, entity_id, source_type from entity_tag where workspace_id = ? and tag_id = ?',
      [ws.id, tagId],
    );
}

describe('races', () => {
  it('creates one tag when the same name is created at once (ignoring case and spaces)', async () => {
    const names = ['Race', 'race', ' RACE ', 'Race', 'rAcE', 'race ', 'RACE', 'Race'];
    const responses = await Promise.all(names.map((name) => ws.rest.POST('/tags', { body: { name } })));
    const statuses = statusesOf(responses);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(names.length - 1);
    const rows = await server.db
      .fork()
      .execute<{ id: string }[]>(`select id from tag where workspace_id = ? and lower(name) = 'race'`, [ws.id]);
    expect(rows.map((row) => row.id)).toEqual([responses.find((r) => r.response.status === 201)?.data?.id]);
  });

  it('applies overlapping bulk tags and untags exactly once each, whatever their order', async () => {
    const tagId = (await ws.tag({ name: 'Overlap' })).id;
    const { contacts, sessions } = await contactsWithSessions(12, 2, 'overlap');
    const entities = [
      ...contacts.map((entityId) => ({ entityType: 'contact' as const, entityId })),
      ...sessions.map((entityId) => ({ entityType: 'session' as const, entityId })),
    ];
    // Six windows over the same list, overlapping by half, every other one reversed: the same
    // rows are wanted by several requests, in opposite orders.
    const windows = Array.from({ length: 6 }, (_, i) => {
      const window = entities.slice(i * 6, i * 6 + 14);
      return i % 2 === 0 ? window : [...window].reverse();
    });
    const union = new Set(windows.flat().map((e) => `${e.entityType}:${e.entityId}`));

    const tagged = await Promise.all(windows.map((window) => bulkTag(tagId, window)));
    expect(statusesOf(tagged)).toEqual(windows.map(() => 200));
    // Each entity of the union became direct exactly once, by one of the requests.
    expect(tagged.reduce((sum, r) => sum + (r.data?.tagged ?? 0), 0)).toBe(union.size);
    const direct = (await tagRows(tagId)).filter((row) => row.source_type === 'direct');
    expect(new Set(direct.map((row) => `${row.entity_type}:${row.entity_id}`))).toEqual(union);
    await server.waitForJobs();
    expect(await findInvariantViolations(server.db.fork())).toEqual([]);

    // The same windows untag concurrently, shifted so that each request meets rows another one
    // is changing; every entity is in one of them, so nothing of the tag is left.
    const untagWindows = [...windows.slice(3), ...windows.slice(0, 3), entities];
    const untagged = await Promise.all(untagWindows.map((window) => bulkUntag(tagId, window)));
    expect(statusesOf(untagged)).toEqual(untagWindows.map(() => 200));
    await server.waitForJobs();
    expect(await tagRows(tagId)).toEqual([]);
    expect(await findInvariantViolations(server.db.fork())).toEqual([]);
  });

  it('leaves nothing of a tag deleted while it is being applied', async () => {
    const tagId = (await ws.tag({ name: 'Doomed' })).id;
    const { contacts, sessions } = await contactsWithSessions(120, 2, 'doomed');
    const chunk = <T>(values: T[], size: number) =>
      Array.from({ length: Math.ceil(values.length / size) }, (_, i) => values.slice(i * size, i * size + size));
    // Each application answers its HTTP status.
    const statusOf = async (call: Promise<{ response: Response }>) => (await call).response.status;
    const applying: (() => Promise<number>)[] = [
      ...chunk(contacts, 30).map(
        (ids) => () =>
          statusOf(
            bulkTag(
              tagId,
              ids.map((entityId) => ({ entityType: 'contact', entityId })),
            ),
          ),
      ),
      ...chunk(sessions, 60).map(
        (ids) => () =>
          statusOf(
            bulkTag(
              tagId,
              ids.map((entityId) => ({ entityType: 'session', entityId })),
            ),
          ),
      ),
      ...contacts.slice(0, 8).map(
        (contactId) => () =>
          statusOf(
            ws.rest.POST('/entity-tags/contacts/{contactId}/tags', {
              params: { path: { contactId }, ...inWorkspace() },
              body: { tagId },
            }),
          ),
      ),
      ...sessions.slice(-8).map(
        (sessionId) => () =>
          statusOf(
            ws.rest.POST('/entity-tags/sessions/{sessionId}/tags', {
              params: { path: { sessionId }, ...inWorkspace() },
              body: { tagId, propagateToContact: true },
            }),
          ),
      ),
      ...sessions
        .slice(16, 20)
        .map(
          (uuid) => () =>
            statusOf(
              ws.rest.PUT('/v1/conversations/{uuid}/tags', { params: { path: { uuid } }, body: { tag_ids: [tagId] } }),
            ),
        ),
    ];
    // The delete goes out as soon as the first application has answered, while the others are
    // in flight: it removes what was applied, and meets the rest mid-way.
    const started = applying.map((apply) => apply());
    await Promise.race(started);
    const deleting = ws.rest.DELETE('/tags/{id}', { params: { path: { id: tagId } } });
    const applied = await Promise.all(started);
    const deleted = await deleting;
    const statuses = [...applied, deleted.response.status];

    expect(deleted.response.status).toBe(200);
    expect(deleted.data).toMatchObject({ removedEntityTags: expect.any(Number) as number });
    const histogram = statuses.reduce<Record<number, number>>(
      (counts, status) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }),
      {},
    );
    console.info(`races: delete removed ${JSON.stringify(deleted.data)}; statuses ${JSON.stringify(histogram)}`);
    // Each application either went first (and its rows went with the tag), found the tag already
    // applied by another (409 on the single routes) or found no tag.
    expect(statuses.filter((status) => ![200, 201, 400, 404, 409].includes(status))).toEqual([]);
    // The Zapini route names an unknown tag a validation error (400), as its document does.
    expect(statuses.filter((status) => status === 400).length).toBeLessThanOrEqual(4);
    await server.waitForJobs();
    expect(await tagRows(tagId)).toEqual([]);
    const jobs = await server.db
      .fork()
      .execute<{ status: string }[]>(`select status from propagation_job where workspace_id = ? and tag_id = ?`, [
        ws.id,
        tagId,
      ]);
    expect(jobs.filter((job) => job.status !== 'done')).toEqual([]);
    expect(await findInvariantViolations(server.db.fork())).toEqual([]);
  });
});

describe('a contact bulk upsert racing a delete of the same contact (black-box attack, session 24)', () => {
  it('never answers 500 and never creates a contact under the id just deleted', async () => {
    for (let round = 0; round < 15; round++) {
      const externalId = `race-${round}-${Math.random().toString(36).slice(2, 8)}`;
      const deleted = (await ws.rest.POST('/contacts', { body: { name: 'Doomed', externalId } })).data?.id ?? '';
      const upsert = () => ws.rest.POST('/contacts/bulk', { body: { contacts: [{ externalId }] } });
      const [removal, ...upserts] = await Promise.all([
        ws.rest.DELETE('/contacts/{id}', { params: { path: { id: deleted } } }),
        upsert(),
        upsert(),
      ]);
      expect(removal.response.status).toBe(200);
      for (const { response, data } of upserts) {
        expect(response.status, JSON.stringify(data)).toBe(200);
        // An upsert that ran before the delete updated the contact (its id); one after it created a new one.
        if (data?.created === 1) expect(data.ids[0]).not.toBe(deleted);
      }
    }
  });
});

describe('bulk tagging takes its tag after the entities, as every writer (black-box attack, session 24)', () => {
  it('meets single taggings and patches of the tag in no cycle', async () => {
    const before = await deadlocksSoFar(server);
    for (let round = 0; round < 10; round++) {
      // A cycle needs two tags: the patch holds the earlier (`single`) and waits for the later
      // (`bulk`), which a bulk tagging holding it waits for a contact a single tagging holds.
      const single = await ws.tag({ name: `Cycle single ${round}` });
      const bulk = await ws.tag({ name: `Cycle bulk ${round}` });
      const contacts = everyId((await ws.trpc.contacts.bulkUpsert.mutate({ contacts: [{}, {}, {}, {}] })).ids);
      const entities = contacts.map((entityId) => ({ entityType: 'contact' as const, entityId }));
      const answers = await Promise.all([
        bulkTag(bulk.id, entities),
        bulkUntag(bulk.id, entities.slice(1)),
        ...contacts.map((contactId) =>
          ws.rest.POST('/entity-tags/contacts/{contactId}/tags', {
            params: { path: { contactId }, ...inWorkspace() },
            body: { tagId: single.id },
          }),
        ),
        ...[0, 1].map(() =>
          ws.rest.PATCH('/tags/bulk', {
            body: {
              patches: [
                { id: single.id, order: round },
                { id: bulk.id, order: round },
              ],
            },
          }),
        ),
      ]);
      expect(statusesOf(answers).filter((status) => status >= 500)).toEqual([]);
    }
    expect(await deadlocksSoFar(server)).toBe(before);
    await server.waitForJobs();
    expect(await findInvariantViolations(server.db.fork())).toEqual([]);
  });
});

describe('a replace-all of a session’s tags and bulk patches of those tags (second attack, session 24)', () => {
  it('take the tags in one pass by id: no deadlock, no 5xx', async () => {
    const before = await deadlocksSoFar(server);
    const tags: string[] = [];
    for (let i = 0; i < 6; i++) tags.push((await ws.tag({ name: `Replaced ${i}` })).id);
    const sessions = everyId(
      (
        await ws.trpc.sessions.bulkUpsert.mutate({
          sessions: [0, 1, 2, 3].map((i) => ({ externalId: `replaced-${i}` })),
        })
      ).ids,
    );
    const uuid = (id: string) => id.slice(id.indexOf('_') + 1);
    for (let round = 0; round < 10; round++) {
      const answers = await Promise.all([
        ...sessions.map((session, i) =>
          restCall(server, 'PUT', `/api/v1/conversations/${uuid(session)}/tags`, {
            apiKey: ws.apiKey,
            body: { tag_ids: tags.filter((_, t) => (t + i + round) % 2 === 0).map(uuid) },
          }),
        ),
        ...[0, 1].map((i) =>
          ws.rest.PATCH('/tags/bulk', { body: { patches: tags.map((id, t) => ({ id, order: round + t + i })) } }),
        ),
      ]);
      const statuses = answers.map((answer) => ('response' in answer ? answer.response.status : answer.status));
      expect(statuses.filter((status) => status >= 500)).toEqual([]);
    }
    expect(await deadlocksSoFar(server)).toBe(before);
  });
});
