import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findInvariantViolations,
  getPropagationJob,
  runPropagationBatch,
  startBackgroundWorker,
} from '@tagging/domain';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { fixture, type WorkspaceFixture } from '../testing/workspace-fixture.ts';

/** Deferred propagation is durable: its state is rows, so a restart resumes where it stopped. */
let server: TestServer;
let ws: WorkspaceFixture;

beforeAll(async () => {
  server = await startTestServer({ propagation: { syncFanOutLimit: 2 }, worker: false });
  ws = await fixture(server, 'Jobs');
});
afterAll(() => server.close());

const tagContact = (contactId: string, tagId: string) =>
  ws.rest.POST('/entity-tags/contacts/{contactId}/tags', { ...ws.scoped({ contactId }), body: { tagId } });

describe('propagation jobs', () => {
  it('resume after an interruption and finish exactly once', async () => {
    const tag = (await ws.tag({ name: 'Durable' })).id;
    const contact = (await ws.contact()).id;
    const { data: sessions } = await ws.rest.POST('/sessions/bulk', {
      body: { sessions: Array.from({ length: 9 }, () => ({ contactId: contact })) },
    });
    expect(sessions).toMatchObject({ created: 9 });
    const { data: tagged } = await tagContact(contact, tag);
    if (!tagged) throw new Error('tagging the contact failed');
    const jobId = tagged.deferred?.jobId ?? '';
    expect(tagged.deferred).toMatchObject({ status: 'pending', sessions: 3 });

    // Two batches, then the process "dies": nothing else runs.
    expect(await runPropagationBatch(server.db, 4)).toBe(true);
    expect(await runPropagationBatch(server.db, 4)).toBe(true);
    const midway = await getPropagationJob(server.db.fork(), ws.id, jobId);
    expect(midway).toMatchObject({ status: 'running', processedSessions: 8 });

    // A new worker (the restarted process) picks the job up from its cursor.
    const worker = startBackgroundWorker(server.db, { batchSize: 4, idleMs: 10 });
    await server.waitForJobs();
    await worker.stop();
    expect(await getPropagationJob(server.db.fork(), ws.id, jobId)).toMatchObject({
      status: 'done',
      processedSessions: 9,
    });
    const [row] = await server.db
      .fork()
      .execute<{ count: number }[]>(
        `select count(*)::int as count from entity_tag where workspace_id = ? and entity_type = 'session' and tag_id = ?`,
        [ws.id, tag],
      );
    expect(row?.count).toBe(9);
    expect(await findInvariantViolations(server.db.fork())).toEqual([]);
  });

  it('stop when the contact is untagged before they finish', async () => {
    const tag = (await ws.tag({ name: 'Changed mind' })).id;
    const contact = (await ws.contact()).id;
    const bulk = await ws.rest.POST('/sessions/bulk', {
      body: { sessions: Array.from({ length: 5 }, () => ({ contactId: contact })) },
    });
    expect(bulk.response.status).toBeLessThan(300);
    expect((await tagContact(contact, tag)).response.status).toBeLessThan(300);
    expect(await runPropagationBatch(server.db, 2)).toBe(true);
    const untag = await ws.rest.DELETE(
      '/entity-tags/contacts/{contactId}/tags/{tagId}',
      ws.scoped({ contactId: contact, tagId: tag }),
    );
    expect(untag.response.status).toBe(200);
    while (await runPropagationBatch(server.db, 2));
    const [row] = await server.db
      .fork()
      .execute<{ count: number }[]>(
        `select count(*)::int as count from entity_tag where workspace_id = ? and tag_id = ?`,
        [ws.id, tag],
      );
    expect(row?.count).toBe(0);
    expect(await findInvariantViolations(server.db.fork())).toEqual([]);
  });
});
