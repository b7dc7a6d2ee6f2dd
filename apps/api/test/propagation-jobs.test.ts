import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TagContactResult } from '@tagging/contracts';
import {
  findInvariantViolations,
  getPropagationJob,
  runPropagationBatch,
  startBackgroundWorker,
} from '@tagging/domain';
import { restCall, startTestServer, type TestServer, type TestWorkspace } from '../testing/test-server.ts';

/** Deferred propagation is durable: its state is rows, so a restart resumes where it stopped. */
let server: TestServer;
let ws: TestWorkspace;

beforeAll(async () => {
  server = await startTestServer({ propagation: { syncFanOutLimit: 2 }, worker: false });
  ws = await server.newWorkspace('Jobs');
});
afterAll(() => server.close());

const post = async (path: string, body: unknown) =>
  (await restCall(server, 'POST', path, { body, apiKey: ws.apiKey })).body as { id: string };

describe('propagation jobs', () => {
  it('resume after an interruption and finish exactly once', async () => {
    const tag = (await post('/api/tags', { name: 'Durable' })).id;
    const contact = (await post('/api/contacts', {})).id;
    const sessions = await post('/api/sessions/bulk', {
      sessions: Array.from({ length: 9 }, () => ({ contactId: contact })),
    });
    expect(sessions).toMatchObject({ created: 9 });
    const tagged = (await post(`/api/entity-tags/contacts/${contact}/tags?workspaceId=${ws.id}`, {
      tagId: tag,
    })) as unknown as TagContactResult;
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
    const tag = (await post('/api/tags', { name: 'Changed mind' })).id;
    const contact = (await post('/api/contacts', {})).id;
    await post('/api/sessions/bulk', { sessions: Array.from({ length: 5 }, () => ({ contactId: contact })) });
    await post(`/api/entity-tags/contacts/${contact}/tags?workspaceId=${ws.id}`, { tagId: tag });
    expect(await runPropagationBatch(server.db, 2)).toBe(true);
    const untag = await restCall(
      server,
      'DELETE',
      `/api/entity-tags/contacts/${contact}/tags/${tag}?workspaceId=${ws.id}`,
      {
        apiKey: ws.apiKey,
      },
    );
    expect(untag.status).toBe(200);
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
