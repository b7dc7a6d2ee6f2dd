import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { fixture, type WorkspaceFixture } from '../testing/workspace-fixture.ts';

/**
 * The test-sized variant of a 1,000,000-contact export: 100,000 contacts (a fifth of them
 * tagged) exported as JSON lines and downloaded as a stream. The process's memory growth is
 * measured and printed; what is asserted is that every row arrives, never a duration.
 */
const rows = 100_000;
let server: TestServer;
let ws: WorkspaceFixture;

beforeAll(async () => {
  server = await startTestServer();
  ws = await fixture(server, 'Big export');
  const tag = (await ws.tag({ name: 'Sampled' })).id;
  const em = server.db.fork();
  await em.execute(
    `insert into contact (workspace_id, id, name, external_id)
     select ?, 'contact_' || tagging_uuid_v7(), 'Contact ' || i, 'ext-' || i from generate_series(1, ?) i`,
    [ws.id, rows],
  );
  await em.execute(
    `insert into entity_tag (workspace_id, id, entity_type, entity_id, tag_id, source_type)
     select workspace_id, 'etag_' || tagging_uuid_v7(), 'contact', id, ?, 'direct'
     from contact where workspace_id = ? and external_id like '%5'`,
    [tag, ws.id],
  );
}, 120_000);
afterAll(() => server.close());

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

describe('a large export', () => {
  it('streams to completion with bounded memory', async () => {
    global.gc?.();
    const before = process.memoryUsage();
    let peakHeap = before.heapUsed;
    let peakRss = before.rss;
    const sample = setInterval(() => {
      const now = process.memoryUsage();
      peakHeap = Math.max(peakHeap, now.heapUsed);
      peakRss = Math.max(peakRss, now.rss);
    }, 25);
    const started = performance.now();

    const { data: view } = await ws.rest.POST('/exports', { body: { format: 'jsonl' } });
    if (!view) throw new Error('the export was refused');
    let status = view;
    while (status.status !== 'done' && status.status !== 'failed') {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const { data: polled } = await ws.rest.GET('/exports/{id}', { params: { path: { id: view.id } } });
      if (!polled) throw new Error('the export vanished');
      status = polled;
    }
    const built = performance.now();
    expect(status).toMatchObject({ status: 'done', totalRows: rows, rowsWritten: rows });

    const response = await fetch(`${server.url}${view.downloadUrl}`, {
      headers: { authorization: `Bearer ${ws.apiKey}` },
    });
    const reader = response.body?.getReader();
    let lines = 0;
    let bytes = 0;
    let tagged = 0;
    let partial = '';
    const decoder = new TextDecoder();
    for (;;) {
      const chunk = await reader?.read();
      if (!chunk || chunk.done) break;
      bytes += chunk.value.byteLength;
      const complete = (partial + decoder.decode(chunk.value, { stream: true })).split('\n');
      partial = complete.pop() ?? '';
      lines += complete.length;
      tagged += complete.filter((line) => line.includes('"Sampled"')).length;
    }
    clearInterval(sample);
    const downloaded = performance.now();

    expect(lines).toBe(rows);
    expect(tagged).toBe(rows / 10);
    console.log(
      [
        `export of ${rows} contacts (${mb(bytes)} of JSON lines) on ${server.db.target.kind}:`,
        `built in ${((built - started) / 1000).toFixed(1)} s, downloaded in ${((downloaded - built) / 1000).toFixed(1)} s;`,
        `heap ${mb(before.heapUsed)} -> peak ${mb(peakHeap)} (+${mb(peakHeap - before.heapUsed)}),`,
        `rss ${mb(before.rss)} -> peak ${mb(peakRss)} (+${mb(peakRss - before.rss)})`,
      ].join(' '),
    );
  }, 300_000);
});
