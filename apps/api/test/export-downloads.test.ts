import { get, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForExport } from '@tagging/client';
import { exportFile, xlsxCellMaxLength, xlsxCutMarker } from '@tagging/domain';
import ExcelJS from 'exceljs';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { fixture, type WorkspaceFixture } from '../testing/workspace-fixture.ts';

let server: TestServer;
let ws: WorkspaceFixture;
let small: WorkspaceFixture;

const contactCount = 30_000;

beforeAll(async () => {
  // Small batches: a file of many chunks, read a few at a time while it downloads; ~1 KiB of
  // barely compressible name per contact: ~30 MB (xlsx ~25 MB), several times what the sockets' buffers hold.
  server = await startTestServer({ exportBatchSize: 2000 });
  ws = await fixture(server, 'Downloads');
  small = await fixture(server, 'Small downloads');
  await server.db
    .fork()
    .execute(
      `insert into contact (workspace_id, id, name) select ?, 'contact_' || tagging_uuid_v7(), 'Zoë ' || n from generate_series(1, 100) n`,
      [small.id],
    );
  await server.db.fork().execute(
    `insert into contact (workspace_id, id, name, external_id)
     select ?, 'contact_' || tagging_uuid_v7(),
            'Contact ' || n || ' ' || translate(encode(decode(
              (select string_agg(md5(n::text || '-' || g::text), '') from generate_series(1, 45) g), 'hex'), 'base64'), E'\n', ''),
            'external-' || n
     from generate_series(1, ?) n`,
    [ws.id, contactCount],
  );
}, 120_000);
afterAll(() => server.close());

const finished = (id: string, of = ws) => waitForExport(of.trpc, id, { intervalMs: 20, timeoutMs: 60_000 });

type Download = { status: number; headers: IncomingHttpHeaders; body: Readable };

/** A download over plain HTTP, its body paused until read: TCP backpressure holds the server. */
const download = (id: string, of = ws) =>
  new Promise<Download>((resolve, reject) => {
    // Its own connection (`agent: false`), never reused: see export-memory.test.ts.
    const request = get(`${server.url}/api/exports/${id}/download`, {
      agent: false,
      headers: { authorization: `Bearer ${of.apiKey}` },
    });
    request.on('response', (response) => {
      response.pause();
      resolve({ status: response.statusCode ?? 0, headers: response.headers, body: response });
    });
    request.on('error', reject);
  });

/** Reads a body to its end: the bytes received, and the error that cut it, if any. */
async function readAll(body: Readable): Promise<{ received: number; error: unknown }> {
  let received = 0;
  try {
    for await (const chunk of body) received += (chunk as Buffer).length;
  } catch (error) {
    return { received, error };
  }
  return { received, error: null };
}

describe('export downloads', () => {
  it('sends the size of a CSV or JSON lines file as its Content-Length', async () => {
    for (const body of [{ format: 'csv' as const, bom: true }, { format: 'jsonl' as const }]) {
      const view = await small.trpc.exports.create.mutate(body);
      const done = await finished(view.id, small);
      expect(done.status).toBe('done');
      const response = await download(view.id, small);
      expect(response.headers['content-length']).toBe(String(done.bytesWritten));
      const { received, error } = await readAll(response.body);
      expect(error).toBeNull();
      expect(received).toBe(done.bytesWritten);
    }
  });

  it('sends a workspace at most 10 downloads at once (429 with Retry-After beyond), others unaffected', async () => {
    const view = await ws.trpc.exports.create.mutate({ format: 'csv' });
    expect((await finished(view.id)).status).toBe('done');
    // Paused clients of a ~30 MB file: each download stays open, held by TCP backpressure.
    const held = await Promise.all(Array.from({ length: 10 }, () => download(view.id)));
    expect(held.map((response) => response.status)).toEqual(Array(10).fill(200));
    const refused = await download(view.id);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('5');
    const body = JSON.parse(
      await new Promise<string>((resolve) => {
        let text = '';
        refused.body
          .setEncoding('utf8')
          .on('data', (chunk: string) => (text += chunk))
          .on('end', () => resolve(text));
        refused.body.resume();
      }),
    ) as { code: string; message: string };
    expect(body.code).toBe('RATE_LIMITED');
    // Another workspace still downloads.
    const other = await small.trpc.exports.create.mutate({ format: 'csv' });
    expect((await finished(other.id, small)).status).toBe('done');
    const theirs = await download(other.id, small);
    expect(theirs.status).toBe(200);
    expect((await readAll(theirs.body)).error).toBeNull();
    // A client that goes away frees its place.
    held[0]?.body.destroy();
    let again = await download(view.id);
    for (let i = 0; i < 100 && again.status === 429; i++) {
      again.body.destroy();
      await new Promise((resolve) => setTimeout(resolve, 20));
      again = await download(view.id);
    }
    expect(again.status).toBe(200);
    for (const response of [...held, again]) response.body.destroy();
  }, 120_000);

  it('stores a file as whole lines in ~48 KiB chunks, numbered in file order across batches', async () => {
    // 30,000 contacts in batches of 2,000, two written at once: every format's chunks.
    for (const format of ['jsonl', 'csv'] as const) {
      const view = await ws.trpc.exports.create.mutate({ format });
      const done = await finished(view.id);
      expect(done).toMatchObject({ status: 'done', rowsWritten: contactCount });
      const chunks = await server.db
        .fork()
        .execute<{ seq: number; data: string }[]>(
          'select seq, data from contact_export_chunk where workspace_id = ? and export_id = ? order by seq',
          [ws.id, view.id],
        );
      const [row] = await server.db
        .fork()
        .execute<{ chunks: number }[]>('select chunks from contact_export where id = ?', [view.id]);
      expect(row?.chunks).toBe(chunks.at(-1)?.seq);
      // Each batch's chunks from a base of its own, 2,001 apart: 15 batches.
      expect(new Set(chunks.map((chunk) => Math.floor(chunk.seq / 2001))).size).toBe(contactCount / 2000);
      const file = chunks.map((chunk) => chunk.data).join('');
      const lines = file.split('\n').slice(0, -1);
      const longest = Math.max(...lines.map((line) => Buffer.byteLength(line) + 1));
      for (const chunk of chunks) {
        expect(chunk.data.endsWith('\n')).toBe(true);
        expect(Buffer.byteLength(chunk.data)).toBeLessThanOrEqual(48 * 1024 + longest);
      }
      // About 48 KiB each: a ~30 MB file in well over 500 chunks, not one per line or per batch.
      expect(chunks.length).toBeGreaterThan(500);
      expect(chunks.length).toBeLessThan(lines.length / 10);
      expect(Buffer.byteLength(file)).toBe(done.bytesWritten);
      if (format === 'jsonl') {
        const ids = lines.map((line) => (JSON.parse(line) as { id: string }).id);
        expect(ids).toEqual([...ids].sort());
        expect(new Set(ids).size).toBe(contactCount);
      } else expect(lines).toHaveLength(contactCount + 1);
      await ws.trpc.exports.delete.mutate({ id: view.id });
    }
  }, 120_000);

  it('frees the place of a download whose client half-closed its socket before the answer', async () => {
    const view = await small.trpc.exports.create.mutate({ format: 'csv' });
    expect((await finished(view.id, small)).status).toBe('done');
    const { port } = new URL(server.url);
    // More half-closed requests than the workspace's 10 places: each must give its place back.
    // The server closes such a response while the export is looked up; on PostgreSQL, where the
    // lookup takes longer than that close, a listener added after it never ran (a leaked place).
    for (let i = 0; i < 12; i++)
      await new Promise<void>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => {
          socket.end(
            `GET /api/exports/${view.id}/download HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${small.apiKey}\r\n\r\n`,
          );
        });
        socket.on('error', reject).on('close', () => resolve());
        socket.resume();
      });
    const response = await download(view.id, small);
    expect(response.status).toBe(200);
    expect((await readAll(response.body)).error).toBeNull();
  });

  it('cuts the connection when the export is deleted during its download', async () => {
    const view = await ws.trpc.exports.create.mutate({ format: 'csv' });
    const done = await finished(view.id);
    expect(done.status).toBe('done');
    const response = await download(view.id);
    expect(response.status).toBe(200);
    // The file has started (headers sent, the first chunks on their way) when it is deleted.
    await ws.trpc.exports.delete.mutate({ id: view.id });
    const { received, error } = await readAll(response.body);
    // Not a normal end at a row boundary: the transfer fails, short of its announced size.
    expect(error).toBeInstanceOf(Error);
    expect(received).toBeLessThan(done.bytesWritten);
  }, 120_000);

  it('fails the xlsx stream of an export gone while it is read, rather than ending it', async () => {
    const view = await small.trpc.exports.create.mutate({ format: 'xlsx' });
    const done = await finished(view.id, small);
    expect(done.status).toBe('done');
    // The domain's stream as the download reads it, its chunks gone (deleted, expired) by the
    // time it reads them: a workbook that ended normally would look complete.
    await small.trpc.exports.delete.mutate({ id: view.id });
    await expect(
      (async () => {
        for await (const part of exportFile(server.db, small.id, done)) expect(part).toBeDefined();
      })(),
    ).rejects.toThrow(/deleted while it was downloaded/);
  }, 120_000);

  it('writes characters XML cannot carry the OOXML way, and cuts what an Excel cell cannot hold', async () => {
    const odd = await fixture(server, 'Odd characters');
    const names = ['x\u0001y', 'x\u000by', 'x\ufffey', 'a\uffffb', 'x\u007fy', 'lit _x0041_ eral', 'a_xyz', '😀\tok'];
    const long = `${'é'.repeat(xlsxCellMaxLength)}😀${'z'.repeat(10)}`;
    // Written behind the API's back: what an import or an older version may have stored.
    for (const name of [...names, long])
      await server.db
        .fork()
        .execute(`insert into contact (workspace_id, id, name) values (?, 'contact_' || tagging_uuid_v7(), ?)`, [
          odd.id,
          name,
        ]);
    const view = await odd.trpc.exports.create.mutate({ format: 'xlsx' });
    expect(await finished(view.id, odd)).toMatchObject({ status: 'done' });
    const response = await download(view.id, odd);
    const parts: Buffer[] = [];
    for await (const part of response.body) parts.push(part as Buffer);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.concat(parts) as unknown as ArrayBuffer);
    const read: string[] = [];
    workbook.getWorksheet('Contacts')?.eachRow((row, index) => {
      if (index > 1) read.push(row.getCell(2).text);
    });
    const cut = long.slice(0, xlsxCellMaxLength - xlsxCutMarker.length) + xlsxCutMarker;
    expect(read.sort()).toEqual([...names, cut].sort());
    expect(cut).toHaveLength(xlsxCellMaxLength);
  }, 60_000);
});
