import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  bulkUpsertContacts,
  bulkUpsertSessions,
  createTag,
  noActor,
  createWorkspaceWithKey,
  findInvariantViolations,
  pendingJobCount,
} from '@tagging/domain';
import { openTestDatabase, type TestDatabase } from '@tagging/domain/testing';
import type {} from '../testing/global-setup.ts';
import { startApiProcess, type ApiProcess } from '../testing/api-process.ts';

/**
 * kill -9 of the API process during a bulk operation and during a deferred fan-out, then a
 * restart: nothing half-applied, the fan-out resumes and finishes, the rules hold. Needs a
 * database two processes can share, so it runs on PostgreSQL only.
 */
const onPostgres = inject('testDatabaseTemplate').kind === 'postgres';

let database: TestDatabase | undefined;
let running: ApiProcess | undefined;

async function startApi(url: string): Promise<ApiProcess> {
  running = await startApiProcess({ DATABASE_URL: url, PROPAGATION_SYNC_LIMIT: '100', PROPAGATION_BATCH_SIZE: '200' });
  return running;
}

beforeAll(async () => {
  if (onPostgres) database = await openTestDatabase(inject('testDatabaseTemplate'));
});
afterAll(async () => {
  await running?.kill();
  await database?.dispose();
});

describe.runIf(onPostgres)('crash recovery', () => {
  it('loses no committed work and half-applies nothing across kill -9 and restart', async () => {
    const db = database?.db;
    const url = database?.url;
    if (!db || !url) throw new Error('no database');
    const { workspace, apiKey } = await createWorkspaceWithKey(db.fork(), 'Crashy');
    const tag = await createTag(db.fork(), workspace.id, { name: 'Survives' }, noActor);
    const bulkTag = await createTag(db.fork(), workspace.id, { name: 'All or nothing' }, noActor);
    const contacts = await bulkUpsertContacts(db.fork(), workspace.id, {
      contacts: Array.from({ length: 10_000 }, () => ({})),
    });
    const fan = contacts.ids[0] ?? '';
    await bulkUpsertSessions(db.fork(), workspace.id, {
      sessions: Array.from({ length: 5000 }, () => ({ contactId: fan })),
    });
    const headers = { authorization: `Bearer ${apiKey.secret}`, 'content-type': 'application/json' };

    // 1. A deferred fan-out, killed in the middle.
    let api = await startApi(url);
    const tagged = (await (
      await fetch(`${api.baseUrl}/api/entity-tags/contacts/${fan}/tags?workspaceId=${workspace.id}`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ tagId: tag.id }),
      })
    ).json()) as { deferred?: { jobId: string } };
    expect(tagged.deferred).toBeDefined();
    for (let i = 0; i < 500; i++) {
      const [job] = await db
        .fork()
        .execute<{ processed_sessions: number }[]>('select processed_sessions from propagation_job');
      if ((job?.processed_sessions ?? 0) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await api.kill();
    const [midway] = await db
      .fork()
      .execute<{ status: string; processed_sessions: number }[]>(
        'select status, processed_sessions from propagation_job',
      );
    expect(midway?.status).not.toBe('done');

    // 2. A bulk tag of 10,000 contacts, killed while it runs.
    api = await startApi(url);
    const entities = contacts.ids.map((id) => ({ entityType: 'contact', entityId: id }));
    const bulk = fetch(`${api.baseUrl}/api/entity-tags/bulk/tag?workspaceId=${workspace.id}`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ tagId: bulkTag.id, entities }),
    }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await api.kill();
    await bulk;
    const [applied] = await db
      .fork()
      .execute<{ count: number }[]>(
        `select count(*)::int as count from entity_tag where workspace_id = ? and tag_id = ? and entity_type = 'contact'`,
        [workspace.id, bulkTag.id],
      );
    expect([0, 10_000]).toContain(applied?.count);

    // 3. Restart: the fan-out resumes from its cursor and finishes; the rules hold.
    api = await startApi(url);
    for (let i = 0; i < 600 && (await pendingJobCount(db.fork())) > 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const [job] = await db.fork().execute<{ status: string }[]>('select status from propagation_job');
    expect(job?.status).toBe('done');
    const [inherited] = await db
      .fork()
      .execute<{ count: number }[]>(
        `select count(*)::int as count from entity_tag where workspace_id = ? and tag_id = ? and entity_type = 'session'`,
        [workspace.id, tag.id],
      );
    expect(inherited?.count).toBe(5000);
    expect(await findInvariantViolations(db.fork())).toEqual([]);
    expect(await api.stop()).toBe(0);
  }, 120_000);
});
