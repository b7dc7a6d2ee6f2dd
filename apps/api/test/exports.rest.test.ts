import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForExport } from '@tagging/client';
import { restCall, startTestServer, type TestServer } from '../testing/test-server.ts';
import { fixture, type WorkspaceFixture } from '../testing/workspace-fixture.ts';

let server: TestServer;
let ws: WorkspaceFixture;
let vip: string;
let churn: string;
const contacts: { id: string; name: string; tags: string[] }[] = [];

const byId = (id: string) => ({ params: { path: { id } } });
const assignment = (tagId: string, contactId: string) => ({ params: { path: { tagId, contactId } } });

beforeAll(async () => {
  server = await startTestServer();
  ws = await fixture(server, 'Exports');
  vip = (await ws.tag({ name: 'VIP' })).id;
  churn = (await ws.tag({ name: 'Churn, "risk"' })).id;
  for (let i = 0; i < 12; i++) {
    const name = i === 3 ? 'Comma, "quoted"\nname' : `Contact ${i}`;
    const { id } = await ws.contact({ name, externalId: `ext-${i}` });
    const tags = [...(i % 2 === 0 ? ['VIP'] : []), ...(i % 3 === 0 ? ['Churn, "risk"'] : [])];
    if (i % 2 === 0) await ws.rest.POST('/tags/{tagId}/contacts/{contactId}', assignment(vip, id));
    if (i % 3 === 0) await ws.rest.POST('/tags/{tagId}/contacts/{contactId}', assignment(churn, id));
    contacts.push({ id, name, tags });
  }
});
afterAll(() => server.close());

/** The export once the SDK's wait says it is done or failed. */
const finished = (id: string) => waitForExport(ws.trpc, id, { intervalMs: 20, timeoutMs: 10_000 });
/** The file of an export, as text. */
const download = (id: string) => ws.rest.GET('/exports/{id}/download', { ...byId(id), parseAs: 'text' });

describe('exports', () => {
  it('exports the contacts matching the filter as JSON lines with tag names', async () => {
    const created = await ws.rest.POST('/exports', {
      body: { format: 'jsonl', tagIds: [vip], excludeTagIds: [churn] },
    });
    expect(created.response.status).toBe(202);
    const view = created.data;
    if (!view) throw new Error('no export in the 202 answer');
    expect(view).toMatchObject({ status: 'pending', format: 'jsonl', downloadUrl: `/api/exports/${view.id}/download` });
    expect(await finished(view.id)).toMatchObject({ status: 'done', totalRows: 4, rowsWritten: 4, progress: 1 });
    const file = await download(view.id);
    expect(file.response.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (file.data ?? '')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string; tags: string[] });
    const expected = contacts.filter((c) => c.tags.includes('VIP') && !c.tags.includes('Churn, "risk"'));
    expect(lines.map((l) => l.id).sort()).toEqual(expected.map((c) => c.id).sort());
    expect(lines.every((l) => l.tags.includes('VIP'))).toBe(true);
  });

  it('exports everything as CSV, quoting what needs it', async () => {
    const { data: view } = await ws.rest.POST('/exports', { body: {} });
    expect(view?.format).toBe('csv');
    expect(await finished(view?.id ?? '')).toMatchObject({ status: 'done', totalRows: 12 });
    const text = (await download(view?.id ?? '')).data ?? '';
    expect(text.startsWith('id,name,external_id,tags,created_at\n')).toBe(true);
    expect(text).toContain('"Comma, ""quoted""\nname",ext-3,"Churn, ""risk""",');
    expect(text).toContain(',Contact 6,ext-6,"VIP; Churn, ""risk""",');
  });

  it('runs several exports at once', async () => {
    const views = await Promise.all(
      (['csv', 'jsonl', 'csv'] as const).map(async (format) => {
        const { data } = await ws.rest.POST('/exports', { body: { format, tagIds: [churn] } });
        if (!data) throw new Error(`the ${format} export was refused`);
        return data;
      }),
    );
    for (const view of views) expect(await finished(view.id)).toMatchObject({ status: 'done', totalRows: 4 });
  });

  it('refuses a download before the export is done, and keeps exports to their workspace', async () => {
    const other = await fixture(server, 'Other');
    const view = await ws.trpc.exports.create.mutate({});
    await finished(view.id);
    expect((await other.rest.GET('/exports/{id}', byId(view.id))).response.status).toBe(404);
    expect((await other.rest.GET('/exports/{id}/download', byId(view.id))).response.status).toBe(404);
    expect((await restCall(server, 'GET', `/api/exports/${view.id}/download`)).status).toBe(401);
    // What the typed client does not send: a workspaceId on the download, a format that does not exist.
    expect((await ws.raw('GET', `/api/exports/${view.id}/download?workspaceId=${other.id}`)).status).toBe(403);
    expect((await ws.raw('POST', '/api/exports', { body: { format: 'xlsx' } })).status).toBe(400);
    expect((await ws.rest.GET('/exports/{id}', byId('nope'))).response.status).toBe(404);
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
    const { error, response } = await ws.rest.GET('/exports/{id}/download', byId(view.id));
    expect(response.status).toBe(409);
    expect(error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('failed') });
  });
});
