import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { waitForExport } from '@tagging/client';
import { runExportBatch, runPropagationBatch } from '@tagging/domain';
import { restCall, startTestServer, type TestServer } from '../testing/test-server.ts';
import { fixture, type WorkspaceFixture } from '../testing/workspace-fixture.ts';

let server: TestServer;
let ws: WorkspaceFixture;
let vip: string;
let churn: string;
type Expected = { id: string; name: string; externalId: string | null; tags: string[] };
const contacts: Expected[] = [];

const byId = (id: string) => ({ params: { path: { id } } });
const assignment = (tagId: string, contactId: string) => ({ params: { path: { tagId, contactId } } });

/**
 * Names a spreadsheet or a naive splitter gets wrong: formulas (`=`, `+`, `-`, `@`), the old
 * separator `;`, commas, quotes, newlines, emoji, right-to-left text.
 */
const hostileTags = [
  '=HYPERLINK("http://example.invalid","x")',
  'Sales; West',
  'Sales',
  'West',
  'Churn, "risk"',
  'Multi\nline',
  '🚀 Launch',
  'עברית',
  '@SUM(1+1)',
  '+1',
  '-2',
];
const hostileContacts: { name: string; externalId: string | null; tags: string[] }[] = [
  { name: '=1+2', externalId: '@SUM(1+1)', tags: ['=HYPERLINK("http://example.invalid","x")'] },
  { name: 'Comma, "quoted"\nname', externalId: 'ext,"3"', tags: ['Sales; West'] },
  { name: 'Two tags', externalId: '+44 20', tags: ['Sales', 'West'] },
  { name: '-minus', externalId: '-1', tags: ['Churn, "risk"', 'Multi\nline'] },
  { name: '🚀 Émilie Zoë', externalId: 'עברית-1', tags: ['🚀 Launch', 'עברית'] },
  { name: 'مرحبا بالعالم', externalId: null, tags: ['@SUM(1+1)', '+1', '-2'] },
  { name: 'Plain; semicolon', externalId: 'plain', tags: [] },
  // A lone carriage return ends a row for many CSV readers unless its field is quoted.
  { name: 'Ann\r=1+2', externalId: 'a\r-1', tags: [] },
];

beforeAll(async () => {
  server = await startTestServer();
  ws = await fixture(server, 'Exports');
  vip = (await ws.tag({ name: 'VIP' })).id;
  churn = (await ws.tag({ name: 'Churn' })).id;
  for (let i = 0; i < 12; i++) {
    const name = `Contact ${i}`;
    const { id } = await ws.contact({ name, externalId: `ext-${i}` });
    const tags = [...(i % 2 === 0 ? ['VIP'] : []), ...(i % 3 === 0 ? ['Churn'] : [])];
    if (i % 2 === 0) await ws.rest.POST('/tags/{tagId}/contacts/{contactId}', assignment(vip, id));
    if (i % 3 === 0) await ws.rest.POST('/tags/{tagId}/contacts/{contactId}', assignment(churn, id));
    contacts.push({ id, name, externalId: `ext-${i}`, tags });
  }
  const tagIds = new Map<string, string>();
  for (const name of hostileTags) tagIds.set(name, (await ws.tag({ name })).id);
  for (const c of hostileContacts) {
    const { id } = await ws.contact({ name: c.name, ...(c.externalId ? { externalId: c.externalId } : {}) });
    for (const tag of c.tags)
      await ws.rest.POST('/tags/{tagId}/contacts/{contactId}', assignment(tagIds.get(tag) ?? '', id));
    contacts.push({ id, ...c });
  }
  // What the API trims away, written behind its back: cells starting with a tab or a carriage return.
  for (const name of ['\tcmd', '\rcmd']) {
    const [row] = await server.db
      .fork()
      .execute<{ id: string }[]>(
        `insert into contact (workspace_id, id, name) values (?, 'contact_' || tagging_uuid_v7(), ?) returning id`,
        [ws.id, name],
      );
    contacts.push({ id: row?.id ?? '', name, externalId: null, tags: [] });
  }
}, 120_000);
afterAll(() => server.close());

/** The export once the SDK's wait says it is done or failed. */
const finished = (id: string) => waitForExport(ws.trpc, id, { intervalMs: 20, timeoutMs: 10_000 });
/** The file of an export, as text. */
const download = (id: string) => ws.rest.GET('/exports/{id}/download', { ...byId(id), parseAs: 'text' });
/** The file of an export, as bytes, with its response. */
async function downloadBytes(id: string): Promise<{ response: Response; bytes: Buffer }> {
  const response = await fetch(`${server.url}/api/exports/${id}/download`, {
    headers: { authorization: `Bearer ${ws.apiKey}` },
  });
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}
/** What a spreadsheet cell holds for a value: formulas neutralized with a leading apostrophe. */
const cell = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
/** Every contact as the rows of a CSV or xlsx file (header first), ordered by id as the file is. */
const expectedRows = () => [
  ['id', 'name', 'external_id', 'tags', 'created_at'],
  ...[...contacts]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((c) => [c.id, cell(c.name), cell(c.externalId ?? ''), JSON.stringify(c.tags)]),
];
const withoutCreatedAt = (rows: string[][]) =>
  rows.map((row, i) => {
    if (i > 0) expect(row[4]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    return row.slice(0, i === 0 ? 5 : 4);
  });

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
    const expected = contacts.filter((c) => c.tags.includes('VIP') && !c.tags.includes('Churn'));
    expect(lines.map((l) => l.id).sort()).toEqual(expected.map((c) => c.id).sort());
    expect(lines.every((l) => l.tags.includes('VIP'))).toBe(true);
  });

  it('keeps every value exact in JSON lines, formulas and all', async () => {
    const view = await ws.trpc.exports.create.mutate({ format: 'jsonl' });
    await finished(view.id);
    const lines = ((await download(view.id)).data ?? '')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Expected & { createdAt: string });
    expect(lines.map(({ id, name, externalId, tags }) => ({ id, name, externalId, tags }))).toEqual(
      [...contacts].sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
  });

  it('writes CSV a standard parser reads back: formulas neutralized, tags an exact JSON array', async () => {
    const { data: view } = await ws.rest.POST('/exports', { body: {} });
    expect(view).toMatchObject({ format: 'csv', bom: false });
    expect(await finished(view?.id ?? '')).toMatchObject({ status: 'done', totalRows: contacts.length });
    const file = await download(view?.id ?? '');
    expect(file.response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = file.data ?? '';
    expect(text.startsWith('id,name,external_id,tags,created_at\n')).toBe(true);
    expect(text).toContain(',"Ann\r=1+2","a\r-1",');
    const rows = parse(text) as string[][];
    expect(withoutCreatedAt(rows)).toEqual(expectedRows());
    // The tags cell splits back into the exact names: one tag `Sales; West` is not two tags.
    const tagsOf = (name: string) => JSON.parse(rows.find((row) => row[1] === name)?.[3] ?? 'null') as unknown;
    expect(tagsOf('Comma, "quoted"\nname')).toEqual(['Sales; West']);
    expect(tagsOf('Two tags')).toEqual(['Sales', 'West']);
    // No cell of the file starts with what a spreadsheet runs as a formula.
    expect(rows.flat().filter((value) => /^[=+\-@\t\r]/.test(value))).toEqual([]);
  });

  it('writes the header row of a CSV that matches no contact', async () => {
    const view = await ws.trpc.exports.create.mutate({ format: 'csv', tagIds: [vip], excludeTagIds: [vip] });
    expect(await finished(view.id)).toMatchObject({ status: 'done', totalRows: 0 });
    expect((await download(view.id)).data).toBe('id,name,external_id,tags,created_at\n');
  });

  it('starts a CSV with a UTF-8 byte order mark when asked, for Excel', async () => {
    const view = await ws.trpc.exports.create.mutate({ format: 'csv', bom: true });
    expect(await finished(view.id)).toMatchObject({ status: 'done', bom: true });
    const { bytes } = await downloadBytes(view.id);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(withoutCreatedAt(parse(bytes, { bom: true }) as string[][])).toEqual(expectedRows());
    // Only CSV has one.
    const refused = await ws.raw('POST', '/api/exports', { body: { format: 'jsonl', bom: true } });
    expect(refused.status).toBe(400);
  });

  it('writes an xlsx workbook a standard reader opens, every cell a neutralized string', async () => {
    const view = await ws.trpc.exports.create.mutate({ format: 'xlsx' });
    expect(await finished(view.id)).toMatchObject({ status: 'done', format: 'xlsx' });
    const { response, bytes } = await downloadBytes(view.id);
    expect(response.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="contacts-${view.id}.xlsx"`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Contacts');
    if (!sheet) throw new Error('no Contacts sheet');
    const rows: string[][] = [];
    sheet.eachRow({ includeEmpty: false }, (row) => {
      const values: string[] = [];
      for (let column = 1; column <= 5; column++) {
        const value = row.getCell(column).value;
        // Every cell is a string, never a formula or a number.
        expect(value === null || typeof value === 'string').toBe(true);
        values.push(typeof value === 'string' ? value : '');
      }
      rows.push(values);
    });
    // XML turns a carriage return into a line feed when the file is read (docs/EXPORTS.md).
    const xmlRead = expectedRows().map((row) => row.map((value) => value.replace(/\r/g, '\n')));
    expect(withoutCreatedAt(rows)).toEqual(xmlRead);
  });

  it('runs several exports at once', async () => {
    const views = await Promise.all(
      (['csv', 'jsonl', 'xlsx'] as const).map(async (format) => {
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
    expect((await other.rest.DELETE('/exports/{id}', byId(view.id))).response.status).toBe(404);
    expect((await other.rest.GET('/exports', {})).data?.exports).toEqual([]);
    expect((await restCall(server, 'GET', `/api/exports/${view.id}/download`)).status).toBe(401);
    // What the typed client does not send: a workspaceId on the download, a format that does not exist.
    expect((await ws.raw('GET', `/api/exports/${view.id}/download?workspaceId=${other.id}`)).status).toBe(403);
    expect((await ws.raw('POST', '/api/exports', { body: { format: 'xls' } })).status).toBe(400);
    // `bom` is a JSON boolean (a string is not coerced, `"false"` is not true), and the body an object.
    for (const bom of ['false', 'true', 0, 1, null])
      expect((await ws.raw('POST', '/api/exports', { body: { format: 'csv', bom } })).status, String(bom)).toBe(400);
    for (const rawBody of ['[]', 'null', '"x"', '1', 'true'])
      expect((await ws.raw('POST', '/api/exports', { rawBody })).status, rawBody).toBe(400);
    await expect(ws.trpc.exports.create.mutate({ format: 'csv', bom: 'false' as never })).rejects.toThrow();
    const strict = await ws.trpc.exports.create.mutate({ format: 'csv', bom: false });
    expect(strict.bom).toBe(false);
    await ws.trpc.exports.delete.mutate({ id: strict.id });
    expect((await ws.rest.GET('/exports/{id}', byId('nope'))).response.status).toBe(404);
    // A filter naming no tag of the workspace (a typo, another workspace's tag) is a 404 naming
    // it, and queues nothing: a mistyped exclusion would export what it meant to leave out.
    const othersTag = (await other.tag({ name: 'Elsewhere' })).id;
    const before = (await ws.rest.GET('/exports', {})).data?.exports.length;
    for (const body of [
      { tagIds: ['nope'] },
      { excludeTagIds: [othersTag] },
      { tagIds: [vip], excludeTagIds: [vip, othersTag] },
    ]) {
      const refused = await ws.raw('POST', '/api/exports', { body });
      expect(refused.status, JSON.stringify(body)).toBe(404);
      expect(refused.body, JSON.stringify(body)).toMatchObject({
        code: 'NOT_FOUND',
        message: expect.stringMatching(/^tag .* not found$/),
      });
    }
    await expect(ws.trpc.exports.create.mutate({ excludeTagIds: [othersTag] })).rejects.toMatchObject({
      data: { code: 'NOT_FOUND' },
    });
    expect((await ws.rest.GET('/exports', {})).data?.exports.length).toBe(before);
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
    // It ended: when, as for a finished one, and its expiry counts from then.
    expect(view.completedAt).toEqual(expect.any(String));
    expect(Date.parse(view.expiresAt ?? '') - Date.parse(view.completedAt ?? '')).toBe(7 * 86_400_000);
    const { error, response } = await ws.rest.GET('/exports/{id}/download', byId(view.id));
    expect(response.status).toBe(409);
    expect(error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('failed') });
  });

  it('lists the workspace’s exports newest first, paged, with when each expires', async () => {
    const listed: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const { data, response } = await ws.rest.GET('/exports', { params: { query: { limit: 3, cursor } } });
      expect(response.status).toBe(200);
      if (!data) throw new Error('no page');
      expect(data.exports.length).toBeLessThanOrEqual(3);
      listed.push(...data.exports.map((view) => view.id));
      for (const view of data.exports) {
        expect(view.downloadUrl).toBe(`/api/exports/${view.id}/download`);
        if (view.status === 'done' || view.status === 'failed') {
          // EXPORT_EXPIRY_DAYS (7 by default) after it ended.
          const days = (Date.parse(view.expiresAt ?? '') - Date.parse(view.completedAt ?? view.createdAt)) / 86_400_000;
          expect(days).toBeGreaterThan(6.99);
          expect(days).toBeLessThan(7.01);
        } else expect(view.expiresAt).toBeNull();
      }
      cursor = data.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBeGreaterThan(1);
    expect(listed).toEqual([...listed].sort().reverse());
    expect(new Set(listed).size).toBe(listed.length);
    // The same through the SDK's tRPC client.
    const all = await ws.trpc.exports.list.query({ limit: 500 });
    expect(all.exports.map((view) => view.id)).toEqual(listed);
    expect(all.nextCursor).toBeNull();
    expect((await ws.raw('GET', '/api/exports?cursor=bogus')).status).toBe(400);
  });

  it('deletes an export and its file; it is gone from every route', async () => {
    const view = await ws.trpc.exports.create.mutate({ format: 'csv' });
    await finished(view.id);
    const deleted = await ws.rest.DELETE('/exports/{id}', byId(view.id));
    expect(deleted.response.status).toBe(200);
    expect(deleted.data).toEqual({ success: true });
    expect((await ws.rest.GET('/exports/{id}', byId(view.id))).response.status).toBe(404);
    expect((await ws.rest.GET('/exports/{id}/download', byId(view.id))).response.status).toBe(404);
    expect((await ws.rest.DELETE('/exports/{id}', byId(view.id))).response.status).toBe(404);
    expect((await ws.trpc.exports.list.query({ limit: 500 })).exports.map((v) => v.id)).not.toContain(view.id);
    const [chunks] = await server.db
      .fork()
      .execute<{ count: number }[]>('select count(*)::int as count from contact_export_chunk where export_id = ?', [
        view.id,
      ]);
    expect(chunks?.count).toBe(0);
  });
});

describe('the tags of an export being built stay as they are (black-box attacks, session 24)', () => {
  let idle: TestServer;
  let us: WorkspaceFixture;
  beforeAll(async () => {
    // No worker: exports stay queued and merges of more than one row stay in their job.
    idle = await startTestServer({ worker: false, propagation: { syncFanOutLimit: 1 } });
    us = await fixture(idle, 'Exports and their tags');
  });
  afterAll(() => idle.close());

  const queue = (body: { tagIds?: string[]; excludeTagIds?: string[] }) =>
    us.rest.POST('/exports', { body: { format: 'csv', ...body } });
  const view = async (id: string) => (await us.rest.GET('/exports/{id}', { params: { path: { id } } })).data;
  const tagContacts = async (tagId: string, count: number) => {
    for (let i = 0; i < count; i++) {
      const contact = await us.contact({ name: `Contact of ${tagId} ${i}` });
      await us.rest.POST('/tags/{tagId}/contacts/{contactId}', { params: { path: { tagId, contactId: contact.id } } });
    }
  };

  it('a tag an unfinished export filters on is not deleted or merged (409) until the export ends', async () => {
    const excluded = await us.tag({ name: 'Excluded' });
    const other = await us.tag({ name: 'Other' });
    const queued = await queue({ excludeTagIds: [excluded.id] });
    expect(queued.response.status).toBe(202);
    const exportId = queued.data?.id ?? '';
    const refusedDelete = await us.rest.DELETE('/tags/{id}', { params: { path: { id: excluded.id } } });
    expect(refusedDelete.response.status).toBe(409);
    expect(refusedDelete.error?.message).toContain(exportId);
    for (const [target, source] of [
      [other, excluded],
      [excluded, other],
    ] as const) {
      const merge = await us.rest.POST('/tags/{id}/merge', {
        params: { path: { id: target.id } },
        body: { sourceTagIds: [source.id] },
      });
      expect(merge.response.status).toBe(409);
    }
    while (await runExportBatch(idle.db));
    expect(await view(exportId)).toMatchObject({ status: 'done' });
    expect((await us.rest.DELETE('/tags/{id}', { params: { path: { id: excluded.id } } })).response.status).toBe(200);
  });

  it('an export over a tag a background merge is moving is refused (409) until the merge ends', async () => {
    const source = await us.tag({ name: 'Being merged' });
    const target = await us.tag({ name: 'Merge target' });
    await tagContacts(source.id, 3);
    const merge = await us.rest.POST('/tags/{id}/merge', {
      params: { path: { id: target.id } },
      body: { sourceTagIds: [source.id] },
    });
    expect(merge.data?.deferred).toBeDefined();
    for (const body of [{ excludeTagIds: [source.id] }, { tagIds: [target.id] }]) {
      const refused = await queue(body);
      expect(refused.response.status).toBe(409);
      expect(refused.error?.message).toContain('merge job');
    }
    // Nor is another merge of either (third attack: two jobs moved the rows back and forth).
    const third = await us.tag({ name: 'Third' });
    for (const [into, from] of [
      [source, target],
      [third, source],
      [target, third],
    ] as const) {
      const crossing = await us.rest.POST('/tags/{id}/merge', {
        params: { path: { id: into.id } },
        body: { sourceTagIds: [from.id] },
      });
      expect(crossing.response.status).toBe(409);
      expect(crossing.error?.message).toContain('merge job');
    }
    while (await runPropagationBatch(idle.db, 10));
    expect((await queue({ tagIds: [target.id] })).response.status).toBe(202);
  });

  it('a queued export whose tag went behind the service’s back fails, naming it, instead of being built without it', async () => {
    const gone = await us.tag({ name: 'Gone behind its back' });
    const queued = await queue({ excludeTagIds: [gone.id] });
    await idle.db.fork().execute('delete from tag where workspace_id = ? and id = ?', [us.id, gone.id]);
    while (await runExportBatch(idle.db));
    expect(await view(queued.data?.id ?? '')).toMatchObject({
      status: 'failed',
      error: expect.stringContaining(`tag ${gone.id}, deleted or merged`),
    });
  });

  it('an export whose excluded tag goes behind its back halfway fails at the next batch, in every format (session 26: it ended done, holding the excluded contacts)', async () => {
    const included = await us.tag({ name: 'Halfway included' });
    await tagContacts(included.id, 6);
    for (const format of ['csv', 'jsonl', 'xlsx'] as const) {
      const excluded = await us.tag({ name: `Halfway excluded ${format}` });
      const { data: listed } = await us.rest.GET('/contacts', {
        params: { query: { tagIds: [included.id], limit: 6 } },
      });
      for (const contact of (listed?.contacts ?? []).slice(-2))
        await us.rest.POST('/tags/{tagId}/contacts/{contactId}', {
          params: { path: { tagId: excluded.id, contactId: contact.id } },
        });
      const queued = await us.rest.POST('/exports', {
        body: { format, tagIds: [included.id], excludeTagIds: [excluded.id] },
      });
      const id = queued.data?.id ?? '';
      expect(await runExportBatch(idle.db, 2)).toBe(true);
      expect(await view(id)).toMatchObject({ status: 'running', rowsWritten: 2 });
      await idle.db.fork().execute('delete from tag where workspace_id = ? and id = ?', [us.id, excluded.id]);
      while (await runExportBatch(idle.db, 2));
      expect(await view(id), format).toMatchObject({
        status: 'failed',
        rowsWritten: 2,
        error: expect.stringContaining(`tag ${excluded.id}, deleted or merged`),
      });
    }
  });
});
