import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContactExportView } from '@tagging/contracts';
import { restCall, startTestServer, type TestServer, type TestWorkspace } from '../testing/test-server.ts';

let server: TestServer;
let ws: TestWorkspace;
let vip: string;
let churn: string;
const contacts: { id: string; name: string; tags: string[] }[] = [];

const call = (method: string, path: string, body?: unknown, workspace = ws) =>
  restCall(server, method, path, { body, apiKey: workspace.apiKey });

beforeAll(async () => {
  server = await startTestServer();
  ws = await server.newWorkspace('Exports');
  vip = ((await call('POST', '/api/tags', { name: 'VIP' })).body as { id: string }).id;
  churn = ((await call('POST', '/api/tags', { name: 'Churn, "risk"' })).body as { id: string }).id;
  for (let i = 0; i < 12; i++) {
    const name = i === 3 ? 'Comma, "quoted"\nname' : `Contact ${i}`;
    const id = ((await call('POST', '/api/contacts', { name, externalId: `ext-${i}` })).body as { id: string }).id;
    const tags = [...(i % 2 === 0 ? ['VIP'] : []), ...(i % 3 === 0 ? ['Churn, "risk"'] : [])];
    if (i % 2 === 0) await call('POST', `/api/tags/${vip}/contacts/${id}`);
    if (i % 3 === 0) await call('POST', `/api/tags/${churn}/contacts/${id}`);
    contacts.push({ id, name, tags });
  }
});
afterAll(() => server.close());

async function finished(id: string): Promise<ContactExportView> {
  for (let i = 0; i < 500; i++) {
    const view = (await call('GET', `/api/exports/${id}`)).body as ContactExportView;
    if (view.status === 'done' || view.status === 'failed') return view;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('export did not finish');
}

describe('exports', () => {
  it('exports the contacts matching the filter as JSON lines with tag names', async () => {
    const created = await call('POST', '/api/exports', { format: 'jsonl', tagIds: [vip], excludeTagIds: [churn] });
    expect(created.status).toBe(202);
    const view = created.body as ContactExportView;
    expect(view).toMatchObject({ status: 'pending', format: 'jsonl', downloadUrl: `/api/exports/${view.id}/download` });
    expect(await finished(view.id)).toMatchObject({ status: 'done', totalRows: 4, rowsWritten: 4, progress: 1 });
    const file = await fetch(`${server.url}${view.downloadUrl}`, { headers: { authorization: `Bearer ${ws.apiKey}` } });
    expect(file.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await file.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string; tags: string[] });
    const expected = contacts.filter((c) => c.tags.includes('VIP') && !c.tags.includes('Churn, "risk"'));
    expect(lines.map((l) => l.id).sort()).toEqual(expected.map((c) => c.id).sort());
    expect(lines.every((l) => l.tags.includes('VIP'))).toBe(true);
  });

  it('exports everything as CSV, quoting what needs it', async () => {
    const view = (await call('POST', '/api/exports', {})).body as ContactExportView;
    expect(view.format).toBe('csv');
    expect(await finished(view.id)).toMatchObject({ status: 'done', totalRows: 12 });
    const file = await fetch(`${server.url}${view.downloadUrl}`, { headers: { authorization: `Bearer ${ws.apiKey}` } });
    const text = await file.text();
    expect(text.startsWith('id,name,external_id,tags,created_at\n')).toBe(true);
    expect(text).toContain('"Comma, ""quoted""\nname",ext-3,"Churn, ""risk""",');
    expect(text).toContain(',Contact 6,ext-6,"VIP; Churn, ""risk""",');
  });

  it('runs several exports at once', async () => {
    const views = await Promise.all(
      ['csv', 'jsonl', 'csv'].map(
        async (format) => (await call('POST', '/api/exports', { format, tagIds: [churn] })).body as ContactExportView,
      ),
    );
    for (const view of views) expect(await finished(view.id)).toMatchObject({ status: 'done', totalRows: 4 });
  });

  it('refuses a download before the export is done, and keeps exports to their workspace', async () => {
    const other = await server.newWorkspace('Other');
    const view = (await call('POST', '/api/exports', {})).body as ContactExportView;
    await finished(view.id);
    expect((await call('GET', `/api/exports/${view.id}`, undefined, other)).status).toBe(404);
    expect((await call('GET', `/api/exports/${view.id}/download`, undefined, other)).status).toBe(404);
    expect((await restCall(server, 'GET', `/api/exports/${view.id}/download`)).status).toBe(401);
    expect((await call('GET', `/api/exports/${view.id}/download?workspaceId=${other.id}`)).status).toBe(403);
    expect((await call('POST', '/api/exports', { format: 'xlsx' })).status).toBe(400);
    expect((await call('GET', '/api/exports/nope')).status).toBe(404);
  });

  it('says why an export failed', async () => {
    // A job whose stored filter is corrupt (written behind the service's back) fails its batches.
    await server.db.fork().execute(
      `insert into contact_export (workspace_id, id, format, criteria)
         values (?, 'exp_01a20800-0000-7000-8000-00000000dead', 'csv', '{"tagIds": [], "match": "any", "excludeTagIds": null}')`,
      [ws.id],
    );
    const view = await finished('exp_01a20800-0000-7000-8000-00000000dead');
    expect(view).toMatchObject({ status: 'failed', error: expect.stringContaining('export batch failed') });
    const download = await call('GET', `/api/exports/${view.id}/download`);
    expect(download.status).toBe(409);
    expect(download.body).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('failed') });
  });
});
