import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findInvariantViolations, runPropagationBatch } from '@tagging/domain';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { fixture, type WorkspaceFixture } from '../testing/workspace-fixture.ts';

/**
 * A background tag merge while a contact's own propagation of the merged tag is unfinished
 * (black-box attack, session 19), the batches driven by hand so that each interleaving is certain,
 * on PGlite and on PostgreSQL:
 * - tagging: the merge's batch moved the contact's row to the target, and the contact's job, which
 *   had reached only some sessions, read "no longer has the tag" as an untag and stopped: the
 *   other sessions never got the target. The job now follows the merge to its target.
 * - untagging: the merge moved the rows the untag's job had not removed yet to the target, as
 *   rows the contact did not justify, where the job no longer looked. They are dropped instead.
 */
const syncFanOutLimit = 3;
const batchSize = 2;

let server: TestServer;
let ws: WorkspaceFixture;

beforeAll(async () => {
  server = await startTestServer({ propagation: { syncFanOutLimit }, worker: false });
  ws = await fixture(server, 'Merge during propagation');
});
afterAll(() => server.close());

const sql = <T extends Record<string, unknown>[]>(statement: string, params: unknown[] = []) =>
  server.db.fork().execute<T>(statement, params);

/** Holds the job back (or lets it go again) so that the other jobs' batches run first. */
const holdJob = (jobId: string, held: boolean) =>
  sql(`update propagation_job set run_after = now() + ? * interval '1 hour' where id = ?`, [held ? 1 : -1, jobId]);

const runAll = async () => {
  while (await runPropagationBatch(server.db, batchSize));
};

/** The contact's sessions that have the tag, by source. */
async function sessionRows(contactId: string, tagId: string) {
  return sql<{ source_type: string; count: number }[]>(
    `select et.source_type, count(*)::int as count from entity_tag et
     join session s on s.workspace_id = et.workspace_id and s.id = et.entity_id
     where et.workspace_id = ? and et.entity_type = 'session' and s.contact_id = ? and et.tag_id = ?
     group by et.source_type`,
    [ws.id, contactId, tagId],
  );
}

const merge = (targetId: string, sourceId: string) =>
  ws.rest.POST('/tags/{id}/merge', { params: { path: { id: targetId } }, body: { sourceTagIds: [sourceId] } });

describe('a background merge and a contact propagation of the merged tag', () => {
  it('tagging: the contact job goes on for the target, every session gets it', async () => {
    const contact = await ws.contact();
    for (let i = 0; i < 10; i++) await ws.sessionOf(contact);
    const [merged, target] = [await ws.tag(), await ws.tag()];
    const tagged = await ws.trpc.entityTags.tagContact.mutate({
      workspaceId: ws.id,
      contactId: contact.id,
      tagId: merged.id,
    });
    const jobId = tagged.deferred?.jobId ?? '';
    // Two batches reach 4 of the 10 sessions; with the contact's row, 5 rows: a deferred merge.
    expect(await runPropagationBatch(server.db, batchSize)).toBe(true);
    expect(await runPropagationBatch(server.db, batchSize)).toBe(true);
    await holdJob(jobId, true);
    const merging = await merge(target.id, merged.id);
    expect(merging.data?.deferred).toBeDefined();
    // The merge's first batch moves the contact with its sessions' rows; then the contact's job
    // (due first again) runs before the merge's last batch.
    expect(await runPropagationBatch(server.db, batchSize)).toBe(true);
    await holdJob(jobId, false);
    await runAll();
    expect(await sessionRows(contact.id, target.id)).toEqual([{ source_type: 'inherited', count: 10 }]);
    expect(await findInvariantViolations(server.db.fork())).toEqual([]);
    const [job] = await sql<{ status: string; tag_id: string }[]>(
      'select status, tag_id from propagation_job where id = ?',
      [jobId],
    );
    expect(job).toEqual({ status: 'done', tag_id: target.id });
  });

  it('untagging: rows the untag had not removed yet are dropped, not moved to the target', async () => {
    const contact = await ws.contact();
    for (let i = 0; i < 10; i++) await ws.sessionOf(contact);
    const [merged, target] = [await ws.tag(), await ws.tag()];
    await ws.tagContact(contact, merged);
    await runAll();
    expect(await sessionRows(contact.id, merged.id)).toEqual([{ source_type: 'inherited', count: 10 }]);
    // The request removes 4 rows and queues the other 6: a deferred merge (6 rows above 3).
    const untagged = await ws.trpc.entityTags.untagContact.mutate({
      workspaceId: ws.id,
      contactId: contact.id,
      tagId: merged.id,
    });
    const jobId = untagged.deferred?.jobId ?? '';
    expect(jobId).not.toBe('');
    await holdJob(jobId, true);
    const merging = await merge(target.id, merged.id);
    expect(merging.data?.deferred).toBeDefined();
    await runAll();
    expect(await sessionRows(contact.id, target.id)).toEqual([]);
    await holdJob(jobId, false);
    await runAll();
    expect(await sessionRows(contact.id, target.id)).toEqual([]);
    expect(await findInvariantViolations(server.db.fork())).toEqual([]);
  });
});
