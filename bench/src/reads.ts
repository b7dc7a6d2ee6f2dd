import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { config } from './config.ts';
import { median, since, timed, type Sql } from './db.ts';
import { expectStatus, type Api } from './http.ts';
import { benchId } from './ids.ts';
import { pct, rate, type Row } from './report-types.ts';
import { samplePeak, type RunningServer } from './server.ts';

const run = promisify(execFile);

/** Median of `config.repeats` runs after one warm-up. */
async function medianOf(work: () => Promise<unknown>, repeats: number = config.repeats): Promise<number> {
  await work();
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) samples.push((await timed(work)).ms);
  return median(samples);
}

export type FilterMode = 'any' | 'all' | 'none';
export type FilterFigure = { mode: FilterMode; apiMs: number; rawMs: number; total: number };

/** Tags 1, 4 and 10: about 29%, 3% and 1.4% of the contacts. */
export const filterTags = [1, 4, 10].map((t) => benchId('wtag', t));

/** Hand-tuned SQL: first page (51 rows, as the API reads one extra) and the total, two statements. */
const handTuned: Record<FilterMode, { page: string; total: string }> = {
  any: {
    page: `select c.* from contact c where c.workspace_id = $1 and exists (select 1 from entity_tag et
             where et.workspace_id = $1 and et.entity_type = 'contact' and et.entity_id = c.id and et.tag_id = any($2))
           order by c.id limit 51`,
    total: `select count(distinct entity_id)::int as total from entity_tag
            where workspace_id = $1 and tag_id = any($2) and entity_type = 'contact'`,
  },
  all: {
    // One statement: the matching set is aggregated once and serves both the page and the total.
    page: `with m as materialized (select entity_id from entity_tag
             where workspace_id = $1 and tag_id = any($2) and entity_type = 'contact'
             group by entity_id having count(*) = cardinality($2))
           select c.*, (select count(*)::int from m) as total from contact c join m on m.entity_id = c.id
           where c.workspace_id = $1 order by c.id limit 51`,
    total: '',
  },
  none: {
    page: `select c.* from contact c where c.workspace_id = $1 and not exists (select 1 from entity_tag et
             where et.workspace_id = $1 and et.entity_type = 'contact' and et.entity_id = c.id and et.tag_id = any($2))
           order by c.id limit 51`,
    total: `select ((select count(*) from contact where workspace_id = $1)
                  - (select count(distinct entity_id) from entity_tag
                     where workspace_id = $1 and tag_id = any($2) and entity_type = 'contact'))::int as total`,
  },
};

export async function filterBenchmarks(target: Api, sql: Sql, workspaceId: number): Promise<FilterFigure[]> {
  const figures: FilterFigure[] = [];
  const ids = filterTags.join(',');
  for (const mode of ['any', 'all', 'none'] as const) {
    const query = mode === 'none' ? `exclude_tag_ids=${ids}` : `tag_ids=${ids}&tag_match=${mode}`;
    let total = -1;
    const apiMs = await medianOf(async () => {
      const { status, body } = await target.call<{ total: number }>('GET', `/api/contacts?${query}`);
      expectStatus(`contacts ${mode}`, status, [200], body);
      total = body.total;
    });
    let rawTotal = -1;
    const rawMs = await medianOf(async () => {
      const page = await sql.query<{ total: number }>(handTuned[mode].page, [workspaceId, filterTags]);
      if (handTuned[mode].total === '') {
        rawTotal = page.rows[0]?.total ?? 0;
      } else {
        const result = await sql.query<{ total: number }>(handTuned[mode].total, [workspaceId, filterTags]);
        rawTotal = result.rows[0]?.total ?? -1;
      }
    });
    if (rawTotal !== total) throw new Error(`filter ${mode}: the API counted ${total}, the SQL ${rawTotal}`);
    figures.push({ mode, apiMs, rawMs, total });
  }
  return figures;
}

/** EXPLAIN (ANALYZE) of the API's statements for a filter, for the notes. */
export async function explain(sql: Sql, statement: string, params: unknown[]): Promise<string> {
  const result = await sql.query<{ 'QUERY PLAN': string }>(
    `explain (analyze, costs off, timing off) ${statement}`,
    params,
  );
  return result.rows.map((row) => row['QUERY PLAN']).join('\n');
}

export type PageFigure = { page: number; apiMs: number; rawMs: number };

/** Entities of tag 1 (the most used), 50 per page: page 1 and page 10,000 (or the last one). */
export async function entityPageBenchmarks(target: Api, sql: Sql, workspaceId: number): Promise<PageFigure[]> {
  const tagId = benchId('wtag', 1);
  const [count] = (
    await sql.query<{ n: number }>(
      'select count(*)::int as n from entity_tag where workspace_id = $1 and tag_id = $2',
      [workspaceId, tagId],
    )
  ).rows;
  const lastPage = Math.max(1, Math.floor((count?.n ?? 0) / 50)); // the last full page
  const deepPage = Math.min(10_000, lastPage);
  const figures: PageFigure[] = [];
  for (const page of [1, deepPage]) {
    let cursor: [string, string, string] | null = null;
    if (page > 1) {
      const [row] = (
        await sql.query<{ entity_type: string; source_type: string; entity_id: string }>(
          `select entity_type, source_type, entity_id from entity_tag where workspace_id = $1 and tag_id = $2
           order by entity_type, source_type, entity_id offset $3 limit 1`,
          [workspaceId, tagId, (page - 1) * 50 - 1],
        )
      ).rows;
      if (!row) throw new Error('no row for the deep page cursor');
      cursor = [row.entity_type, row.source_type, row.entity_id];
    }
    const encoded = cursor ? `&cursor=${Buffer.from(JSON.stringify(cursor)).toString('base64url')}` : '';
    const apiMs = await medianOf(async () => {
      const { status, body } = await target.call<{ entities: unknown[] }>(
        'GET',
        `/api/entity-tags/tags/${tagId}/entities?workspaceId=${workspaceId}&limit=50${encoded}`,
      );
      expectStatus(`entities page ${page}`, status, [200], body);
      if (body.entities.length !== 50) throw new Error(`page ${page} had ${body.entities.length} entities`);
    }, 20);
    const rawMs = await medianOf(
      () =>
        sql.query(
          `select entity_type, entity_id, source_type, source_entity_type, source_entity_id, created_at from entity_tag
           where workspace_id = $1 and tag_id = $2 ${cursor ? 'and (entity_type, source_type, entity_id) > ($3, $4, $5)' : ''}
           order by entity_type, source_type, entity_id limit 51`,
          [workspaceId, tagId, ...(cursor ?? [])],
        ),
      20,
    );
    figures.push({ page, apiMs, rawMs });
  }
  return figures;
}

export type ExportFormat = 'csv' | 'jsonl' | 'xlsx';

export type ExportFigure = {
  format: ExportFormat;
  rows: number;
  buildMs: number;
  downloadMs: number;
  bytes: number;
  rawMs: number;
  baselineRss: number;
  peakRss: number;
};

type ExportView = { id: string; status: string; rowsWritten: number; error: string | null };

/**
 * Export every contact of the workspace in `format`: build (background worker), then download
 * (for xlsx the workbook is zipped during the download); the server's RSS sampled throughout.
 * Then the raw limit in the same run: the same rows (contact columns and tag names) through
 * PostgreSQL's COPY, on the server.
 */
export async function exportBenchmark(
  target: Api,
  server: RunningServer,
  url: string,
  workspaceId: number,
  format: ExportFormat = 'csv',
): Promise<ExportFigure> {
  const baselineRss = server.rss();
  const peak = samplePeak(server.rss);
  const start = performance.now();
  const created = await target.call<ExportView>('POST', '/api/exports', { format });
  expectStatus('create export', created.status, [202], created.body);
  let view = created.body;
  while (view.status !== 'done') {
    if (view.status === 'failed') throw new Error(`export failed: ${view.error ?? ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const polled = await target.call<ExportView>('GET', `/api/exports/${created.body.id}`);
    expectStatus('export status', polled.status, [200], polled.body);
    view = polled.body;
  }
  const buildMs = since(start);
  const download = performance.now();
  const response = await fetch(`${target.baseUrl}/api/exports/${created.body.id}/download`, {
    headers: { authorization: target.headers.authorization ?? '' },
  });
  let bytes = 0;
  if (!response.body) throw new Error('the download had no body');
  for await (const chunk of response.body) bytes += (chunk as Uint8Array).byteLength;
  const downloadMs = since(download);
  const peakRss = peak.stop();
  // The export is not needed any more: its rows leave the database (and the next run's cache).
  await target.call('DELETE', `/api/exports/${created.body.id}`);
  const copy = `\\copy (select c.id, c.name, c.external_id, c.created_at,
      array(select t.name from entity_tag et join tag t on t.workspace_id = et.workspace_id and t.id = et.tag_id
            where et.workspace_id = c.workspace_id and et.entity_type = 'contact' and et.entity_id = c.id
            order by t."order", t.id) as tags
    from contact c where c.workspace_id = ${workspaceId} order by c.id) to '/dev/null' with (format csv, header)`;
  const raw = performance.now();
  // The plan settings the export's reads use (`readPlanSettings` in contact-exports.ts): the
  // same rows by the same plan, so that the limit is PostgreSQL's best for them.
  const settings = ['set enable_hashjoin = off', 'set jit = off'].flatMap((setting) => ['-c', setting]);
  await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', ...settings, '-c', copy, url]);
  const rawMs = since(raw);
  return { format, rows: view.rowsWritten, buildMs, downloadMs, bytes, rawMs, baselineRss, peakRss };
}

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/**
 * The table rows of export figures: per format, our rate against COPY's in the same round (CSV
 * and JSON lines: the build, goal ≥ 70%; xlsx: build plus download, since the workbook is zipped
 * as it is downloaded; reported), and the server's RSS growth (goal ≤ 100 MiB).
 */
export function exportRows(figures: readonly ExportFigure[]): Row[] {
  return figures.flatMap((f) => {
    const oursMs = f.format === 'xlsx' ? f.buildMs + f.downloadMs : f.buildMs;
    const ratio = f.rows / (oursMs / 1000) / (f.rows / (f.rawMs / 1000));
    const growth = f.peakRss - f.baselineRss;
    const what = f.format === 'xlsx' ? 'build + download' : 'build';
    return [
      {
        figure: `Export ${f.rows.toLocaleString('en-US')} contacts (${f.format}, ${mib(f.bytes)}): ${what}`,
        ours: `${rate(f.rows / (oursMs / 1000), 'rows/s')} (build ${(f.buildMs / 1000).toFixed(1)} s; download ${(f.downloadMs / 1000).toFixed(1)} s)`,
        raw: `${rate(f.rows / (f.rawMs / 1000), 'rows/s')} (COPY, ${(f.rawMs / 1000).toFixed(1)} s)`,
        ratio: pct(ratio),
        goal: f.format === 'xlsx' ? 'report' : '≥ 70% of COPY',
        met: f.format === 'xlsx' ? null : ratio >= 0.7,
      },
      {
        figure: `Export (${f.format}): server RSS during build + download`,
        ours: `peak ${mib(f.peakRss)} (baseline ${mib(f.baselineRss)}, +${mib(growth)})`,
        raw: '—',
        ratio: '—',
        goal: '≤ +100 MiB',
        met: growth <= 100 * 1024 * 1024,
      },
    ];
  });
}
