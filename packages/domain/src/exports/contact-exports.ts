import { z } from 'zod';
import type {
  ContactExportView,
  CreateExportInput,
  ExportFormat,
  ListExportsInput,
  TagCriteria,
} from '@tagging/contracts';
import { withJobFinishedEvent } from '../events/event-outbox.ts';
import { criteriaOfBody } from '@tagging/contracts';
import type { Database, EntityManager } from '../db/database.ts';
import { decodeCursor, encodeCursor } from '../db/keyset-cursor.ts';
import { textArray, toIso } from '../db/sql-values.ts';
import { inTransaction } from '../db/transaction.ts';
import { DomainError, notFound } from '../errors.ts';
import { tagFilterSql } from '../filters/tag-filter-sql.ts';
import { tagFilterTotalSql } from '../filters/tag-filter-total.ts';
import { lockTags, lockWorkspace } from '../entity-tags/entity-locks.ts';
import { refuseTagsBeingMerged } from '../tags/tag-uses.ts';
import { uuidv7 } from '../ids.ts';
import type { ContactExport } from '../plain-result.ts';
import { exportRetryPolicy, recordFailedAttempt, type RetryPolicy } from '../jobs/job-retries.ts';
import { dueNowSql } from '../jobs/due-work.ts';
import { byteOrderMark, neutralizedSql } from './export-rows.ts';
import { copyIn } from '../db/copy-in.ts';
import { copyOut, type CopiedText } from '../db/copy-out.ts';
import { xlsxFile } from './export-xlsx.ts';

type ExportRow = {
  workspace_id: number;
  id: string;
  format: ExportFormat;
  bom: boolean;
  criteria: TagCriteria | string;
  status: ContactExportView['status'];
  cursor: string | null;
  total_rows: number | null;
  rows_written: number;
  bytes_written: number | string;
  chunks: number;
  attempts: number;
  hard_failures: number;
  error: string | null;
  created_at: unknown;
  updated_at: unknown;
  completed_at: unknown;
};

const day = 24 * 60 * 60 * 1000;

/**
 * Exports of a workspace: how many may be queued or running at once, how many of its files one
 * API process sends at once (`maxDownloadsPerWorkspace`, default 10: each open download holds
 * about 1 MiB (CSV, JSON lines) to 2 MiB (xlsx) for as long as its client takes, so one tenant's
 * slow readers cannot fill the process's memory), and how long a finished one (row and file) is
 * kept after it ended (`expiryMs`, default 7 days; the background worker deletes it then, see
 * `jobs/job-retention.ts`).
 */
export type ExportSettings = { maxActivePerWorkspace: number; maxDownloadsPerWorkspace?: number; expiryMs?: number };
const defaultExpiryMs = 7 * day;
export const defaultExportSettings: ExportSettings = {
  maxActivePerWorkspace: 5,
  maxDownloadsPerWorkspace: 10,
  expiryMs: defaultExpiryMs,
};

/** How long a finished export is kept (ms): the settings' `expiryMs`, else the default 7 days. */
export const exportExpiryMs = (settings: ExportSettings): number => settings.expiryMs ?? defaultExpiryMs;

const finished = (status: ExportRow['status']) => status === 'done' || status === 'failed';

const toView = (row: ExportRow, settings: ExportSettings): ContactExport => ({
  id: row.id,
  format: row.format,
  bom: row.bom,
  status: row.status,
  totalRows: row.total_rows,
  rowsWritten: row.rows_written,
  bytesWritten: Number(row.bytes_written),
  progress: row.status === 'done' ? 1 : row.total_rows ? row.rows_written / row.total_rows : 0,
  error: row.error,
  createdAt: toIso(row.created_at),
  // A failed export ended at its last change, as its expiry counts (session 24: it showed null).
  completedAt:
    row.completed_at !== null ? toIso(row.completed_at) : row.status === 'failed' ? toIso(row.updated_at) : null,
  // Expiry counts from the export's last change (`job-retention.ts`), which is when it ended.
  expiresAt: finished(row.status)
    ? new Date(new Date(toIso(row.updated_at)).getTime() + exportExpiryMs(settings)).toISOString()
    : null,
});

/** What a refused export tells the caller to wait: about one small export's build time. */
const retryAfterSeconds = 10;

/**
 * Queues an export; the background worker builds it batch by batch. A workspace with
 * `maxActivePerWorkspace` exports queued or running is refused (RATE_LIMITED, with a retry
 * delay), so that no tenant can fill the queue. Creates of one workspace take its lock
 * (`lockWorkspace`) so that two cannot both pass the check.
 */
export async function createExport(
  em: EntityManager,
  workspaceId: number,
  input: Omit<CreateExportInput, 'bom'> & { bom?: boolean },
  settings: ExportSettings = defaultExportSettings,
): Promise<ContactExport> {
  return inTransaction(em, async (em) => {
    await lockWorkspace(em, workspaceId);
    const [active] = await em.execute<{ count: number }[]>(
      `select count(*)::int as count from contact_export where workspace_id = ? and status in ('pending', 'running')`,
      [workspaceId],
    );
    if ((active?.count ?? 0) >= settings.maxActivePerWorkspace)
      throw new DomainError(
        'RATE_LIMITED',
        `this workspace already has ${settings.maxActivePerWorkspace} exports queued or running; retry when one finishes`,
        undefined,
        { retryAfterSeconds },
      );
    const criteria = criteriaOfBody(input);
    await requireExportTags(em, workspaceId, [...criteria.tagIds, ...criteria.excludeTagIds], 'export');
    const [row] = await em.execute<ExportRow[]>(
      `insert into contact_export (workspace_id, id, format, bom, criteria) values (?, ?, ?, ?, ?::jsonb) returning *`,
      [workspaceId, `exp_${uuidv7()}`, input.format, input.bom ?? false, JSON.stringify(criteria)],
    );
    if (!row) throw new Error('insert returned no row');
    return toView(row, settings);
  });
}

/**
 * An export's filter names tags of the workspace: an id of no tag (a typo, another workspace's
 * tag, a deleted one) is refused naming it, so that a mistaken `excludeTagIds` cannot silently
 * export the contacts it was meant to leave out (black-box test, session 12): NOT_FOUND for a new
 * export, or the error `missing` gives (an operator's retry: CONFLICT, "request a new export").
 * A tag a background merge is moving is CONFLICT (`refuseTagsBeingMerged`, saying `doing`). The
 * list filters (`GET /api/contacts`), which are reads, keep an unknown id as an empty match
 * (docs/DECISIONS.md).
 */
export async function requireExportTags(
  em: EntityManager,
  workspaceId: number,
  tagIds: readonly string[],
  doing: string,
  missing: (tagId: string) => DomainError = (tagId) => notFound('tag', tagId),
): Promise<void> {
  // Locked, so that a delete or a merge of one waits for the export's row and then refuses
  // (`tag-uses.ts`).
  const known = new Set(await lockTags(em, workspaceId, tagIds));
  const gone = tagIds.find((id) => !known.has(id));
  if (gone !== undefined) throw missing(gone);
  await refuseTagsBeingMerged(em, workspaceId, tagIds, doing);
}

/** The first of `tagIds` that names no tag of the workspace (now), or undefined. */
async function firstMissingTag(
  em: EntityManager,
  workspaceId: number,
  tagIds: readonly string[],
): Promise<string | undefined> {
  if (tagIds.length === 0) return undefined;
  const found = await em.execute<{ id: string }[]>(
    'select id from tag where workspace_id = ? and id = any(?::text[])',
    [workspaceId, textArray(tagIds)],
  );
  const known = new Set(found.map((row) => row.id));
  return tagIds.find((id) => !known.has(id));
}

/**
 * A queued export whose filter names a tag deleted or merged away since it was requested: built
 * now, its `excludeTagIds` would leave nobody out and its `tagIds` match nobody, silently (the
 * very fault `requireTags` keeps out of a request; black-box attack, session 24). The export
 * fails at once, saying which tag; the client requests it again with the filter it means.
 */
class ExportFilterTagGone extends DomainError {
  constructor(tagId: string) {
    super(
      'CONFLICT',
      `the filter names tag ${tagId}, deleted or merged into another since the export was requested; request it again`,
    );
  }
}

export async function getExport(
  em: EntityManager,
  workspaceId: number,
  id: string,
  settings: ExportSettings = defaultExportSettings,
): Promise<ContactExport> {
  const [row] = await em.execute<ExportRow[]>('select * from contact_export where workspace_id = ? and id = ?', [
    workspaceId,
    id,
  ]);
  if (!row) throw notFound('export', id);
  return toView(row, settings);
}

const ExportPageKey = z.tuple([z.string()]);

/**
 * The workspace's exports, newest first (ids are UUIDv7, so id order is creation order), one
 * keyset page of `limit` through the primary key; `nextCursor` is null on the last page. Expired
 * exports are gone (404 elsewhere), so they are not listed.
 */
export async function listExports(
  em: EntityManager,
  workspaceId: number,
  input: ListExportsInput,
  settings: ExportSettings = defaultExportSettings,
): Promise<{ exports: ContactExport[]; nextCursor: string | null }> {
  const after = input.cursor === undefined ? null : decodeCursor(input.cursor, ExportPageKey)[0];
  const rows = await em.execute<ExportRow[]>(
    `select * from contact_export where workspace_id = ? ${after === null ? '' : 'and id < ?'}
     order by id desc limit ?`,
    [workspaceId, ...(after === null ? [] : [after]), input.limit + 1],
  );
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    exports: page.map((row) => toView(row, settings)),
    nextCursor: rows.length > input.limit && last ? encodeCursor([last.id]) : null,
  };
}

/**
 * Deletes an export and its file, whatever its state: a queued or running export is cancelled
 * (the worker finds its row gone at its next batch and stops; the batches being written, at most
 * two, hold the row with a key share lock, so the delete waits for them and takes their chunks
 * with the rest). Its routes answer 404 afterwards.
 * Throws NOT_FOUND for an export of another workspace or one already gone.
 */
export async function deleteExport(em: EntityManager, workspaceId: number, id: string): Promise<void> {
  const rows = await em.execute<{ id: string }[]>(
    'delete from contact_export where workspace_id = ? and id = ? returning id',
    [workspaceId, id],
  );
  if (rows.length === 0) throw notFound('export', id);
}

/**
 * Chunks read per query while downloading: 4 (about 200 KiB; each chunk is a piece of a batch,
 * `pieceBytes`), so that a download, however slow its client, holds little.
 */
const chunksPerRead = 4;

/**
 * The stored chunks of an export, in order, checked against the size it was built with
 * (`expectedBytes`): an export deleted (or expired) while it is read loses its chunks between two
 * reads, and the reads would simply end early. Throws then, so that the download fails visibly
 * (the connection is cut) instead of ending like a complete file at a row boundary.
 */
async function* storedChunks(
  db: Database,
  workspaceId: number,
  id: string,
  expectedBytes: number,
): AsyncIterable<string> {
  let after = 0;
  let bytes = 0;
  for (;;) {
    const batch = await db
      .fork()
      .execute<{ seq: number; data: string }[]>(
        `select seq, data from contact_export_chunk where workspace_id = ? and export_id = ? and seq > ? order by seq limit ?`,
        [workspaceId, id, after, chunksPerRead],
      );
    for (const chunk of batch) {
      bytes += Buffer.byteLength(chunk.data);
      yield chunk.data;
    }
    const last = batch.at(-1);
    if (!last || batch.length < chunksPerRead) break;
    after = last.seq;
  }
  if (bytes < expectedBytes)
    throw new Error(`export ${id} was deleted while it was downloaded (${bytes} of ${expectedBytes} bytes read)`);
}

/**
 * The file of a finished export, streamed: its stored chunks in order (CSV, after the byte
 * order mark if asked; JSON lines), or for xlsx the workbook assembled from them as it is read
 * (`xlsxFile`). Memory holds a few chunks (each about `pieceBytes`, 48 KiB) whatever the export's
 * size; nothing is read ahead of the reader. A CSV or JSON lines file is exactly `bytesWritten`
 * bytes (the byte order mark included), which the download sends as its Content-Length. The
 * stream fails (an error, never an early end) when the export is deleted or expires meanwhile.
 */
export function exportFile(
  db: Database,
  workspaceId: number,
  view: Pick<ContactExport, 'id' | 'format' | 'bom' | 'bytesWritten'>,
): AsyncIterable<string | Buffer> {
  const bom = view.format === 'csv' && view.bom;
  const stored = view.bytesWritten - (bom ? Buffer.byteLength(byteOrderMark) : 0);
  const chunks = storedChunks(db, workspaceId, view.id, stored);
  if (view.format === 'xlsx') return xlsxFile(chunks);
  return bom ? withByteOrderMark(chunks) : chunks;
}

async function* withByteOrderMark(chunks: AsyncIterable<string>): AsyncIterable<string> {
  yield byteOrderMark;
  yield* chunks;
}

/**
 * The export to work on next, locked for this transaction: fair between workspaces, so that one
 * workspace's queue of exports cannot hold back another's. Among the unfinished exports whose
 * backoff (or another worker's lease) is over, the one of the workspace served least recently
 * (the newest `updated_at` of its started exports; never served comes first), then that
 * workspace's least recently advanced export. The unfinished set is small (a few per workspace,
 * by the cap), and each workspace's "last served" is one probe of a partial index. A queue claim
 * (skip locked), not a row lock of the order `entity-tags/entity-locks.ts` keeps, so it stays
 * with the queue.
 */
async function claimExport(em: EntityManager): Promise<ExportRow | undefined> {
  const [row] = await em.execute<ExportRow[]>(
    `select e.* from contact_export e
     where ${dueNowSql}
     order by (select max(s.updated_at) from contact_export s
               where s.workspace_id = e.workspace_id and s.status <> 'pending') asc nulls first,
              e.updated_at
     limit 1 for update of e skip locked`,
  );
  return row;
}

/** How a worker builds exports: contacts per batch, and how long it keeps one export before the next claim. */
export type ExportBuildOptions = {
  /** Contacts per batch, each its own transaction (default 10,000, ~1.5 MiB of CSV in ~32 chunks). */
  batchSize?: number;
  /** Backoff and attempts of failed batches. */
  policy?: RetryPolicy;
  /**
   * Keep building the claimed export for this long (ms) before giving the queue back: within it,
   * the next batch is read while the current one is formatted and stored. 0 (the default): one
   * batch. Fairness between workspaces is per slice.
   */
  sliceMs?: number;
  /**
   * Called after each committed batch, before the slice starts another (the one after it may
   * already be written): the export and its rows so far (an observer, for tests and logs).
   */
  onBatch?: (progress: { exportId: string; rowsWritten: number }) => Promise<void> | void;
};

/** How long another worker keeps off an export this one is building (longer than any batch). */
const leaseMs = 60_000;

/**
 * Builds the next slice of the next export (see `claimExport`): batches of `batchSize` matching
 * contacts after the cursor, each written in the file's format by PostgreSQL (`copyCsvBatch`,
 * `storeLinesBatch`) and stored as chunks of the file with the export's progress, in one
 * transaction; two batches are written at once and committed in order (`writeBatch`). Each
 * batch's transaction re-reads the export with its cursor: a deleted export (cancelled) or one
 * another worker took over stops the slice.
 * The claim leases the export (`run_after`) for the slice; a crashed worker's lease runs out
 * and the export resumes at its cursor. A failed batch is retried with backoff
 * (`exportRetryPolicy`: transient failures for ever, others up to 3 times). Returns false when
 * there is nothing to do.
 */
export async function runExportBatch(
  db: Database,
  batchSizeOrOptions: number | ExportBuildOptions = {},
  policyArgument?: RetryPolicy,
): Promise<boolean> {
  const options = typeof batchSizeOrOptions === 'number' ? { batchSize: batchSizeOrOptions } : batchSizeOrOptions;
  const batchSize = options.batchSize ?? 10_000;
  const policy = policyArgument ?? options.policy ?? exportRetryPolicy;
  const sliceMs = options.sliceMs ?? 0;
  let claimed: ExportRow | undefined;
  try {
    const job = await inTransaction(db.fork(), async (em) => {
      const job = await claimExport(em);
      if (!job) return undefined;
      // Known to the failure path below even if this transaction fails (a corrupt filter).
      claimed = job;
      let total = job.total_rows;
      if (job.status === 'pending') {
        const criteria = criteriaOf(job);
        const gone = await firstMissingTag(em, job.workspace_id, [...criteria.tagIds, ...criteria.excludeTagIds]);
        if (gone !== undefined) throw new ExportFilterTagGone(gone);
        const count = tagFilterTotalSql('contact', job.workspace_id, criteria);
        const [row] = await em.execute<{ total: number }[]>(count.sql, count.params);
        total = row?.total ?? 0;
      }
      await em.execute(
        `update contact_export set status = 'running', total_rows = ?, run_after = now() + ? * interval '1 millisecond',
           updated_at = now()
         where workspace_id = ? and id = ?`,
        [total, leaseMs, job.workspace_id, job.id],
      );
      job.total_rows = total;
      return job;
    });
    if (!job) return false;
    await buildSlice(db, job, batchSize, sliceMs, options.onBatch);
    return true;
  } catch (error) {
    if (claimed && error instanceof ExportFilterTagGone) {
      // The client's filter, not a fault of the build: it fails now, with nothing to retry.
      await recordFailedAttempt(db.fork(), 'export', claimed, error, { ...policy, maxAttempts: 1 });
      return true;
    }
    if (claimed) {
      // Written on its own connection; if even that fails, the export stays claimable as it was.
      await recordFailedAttempt(db.fork(), 'export', claimed, error, policy, 'export batch failed: ');
    }
    throw error;
  }
}

const criteriaOf = (job: ExportRow): TagCriteria =>
  (typeof job.criteria === 'string' ? JSON.parse(job.criteria) : job.criteria) as TagCriteria;

function filterOf(job: ExportRow): { where: string[]; params: unknown[] } {
  const filter = tagFilterSql('c', 'contact', job.workspace_id, criteriaOf(job));
  return { where: ['c.workspace_id = ?', ...filter.where], params: [job.workspace_id, ...filter.params] };
}

/**
 * Bytes per piece of a batch (whole rows; a row longer than this is a piece of
 * its own). Every string and buffer of a batch stays this small: a string under ~1 MB is not
 * made external by Node's decoder, and one under 128 KiB (a two-byte string of 48 Ki
 * characters is 96 KiB) lives in V8's young generation, where a scavenge frees it, instead of
 * its large-object space, freed only by full collections. Measured: the first CSV export of a
 * fresh process grew the RSS by +160..200 MiB with one 1.5 MiB string per batch (docs/EXPORTS.md).
 */
const pieceBytes = 48 * 1024;

/**
 * The plan of a batch's read. Each contact's tag names are a join of its entity tags (1-3) to
 * `tag`; costed as one row, the join is planned as a hash join that reads every tag of the
 * workspace per contact (a sequential scan of 200 tags 10,000 times per batch: 470-570 ms), where
 * probing `tag`'s primary key per entity tag takes 150-170 ms (EXPLAIN ANALYZE, 10,000 contacts,
 * 200 tags, busy machine). Local to the read's transaction (docs/QUERY-PLANS.md). (JIT compiling
 * took 25-35 ms of every batch's read: it is off for every connection, `postgresConfig`.)
 */
const readPlanSettings = ['set local enable_hashjoin = off'];

/**
 * A batch's place in the file: the matching contacts after `cursor` up to `last` (inclusive;
 * `null`: none left), and whether it is the file's end (fewer than a batch matched when the
 * range was found). The range with no `cursor` is the file's first.
 */
type BatchRange = { cursor: string | null; last: string | null; done: boolean };

/**
 * The next batch's range: the ids of the first `batchSize` matching contacts after `cursor`,
 * walked in the `(workspace_id, id)` index without building their rows (a few ms per 10,000).
 * Knowing where a batch ends before it is read lets the next one be written at the same time
 * (`batchesInFlight`).
 */
async function nextRange(db: Database, job: ExportRow, cursor: string | null, batchSize: number): Promise<BatchRange> {
  const { where, params } = filterOf(job);
  const [row] = await db.fork().execute<{ last: string | null; rows: number }[]>(
    `select max(s.id) as last, count(*)::int as rows
     from (select c.id from contact c where ${[...where, 'c.id > ?'].join(' and ')} order by c.id limit ?) s`,
    [...params, cursor ?? '', batchSize],
  );
  const rows = row?.rows ?? 0;
  return { cursor, last: row?.last ?? null, done: rows < batchSize };
}

/**
 * The matching contacts of a batch, each as the row `r` of its exact record (`ExportRecord`'s
 * columns in order, `createdAt` in milliseconds like `toISOString`): the FROM clause of a batch's
 * read. Contacts added or changed since the range was found are read as they are now (an export
 * is not a snapshot: docs/EXPORTS.md).
 */
const recordsSql = `contact c
  cross join lateral (
    select c.id, c.name, c.external_id as "externalId",
           array(select t.name from entity_tag et join tag t on t.workspace_id = et.workspace_id and t.id = et.tag_id
                 where et.workspace_id = c.workspace_id and et.entity_type = 'contact' and et.entity_id = c.id
                 order by t."order", t.id) as tags,
           to_char(c.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "createdAt") r`;

/** The WHERE clause of a batch's read: the filter, and the range (nothing when it has no rows). */
function rangeWhere(job: ExportRow, range: BatchRange): { where: string; params: unknown[] } {
  const { where, params } = filterOf(job);
  if (range.last === null) return { where: [...where, 'false'].join(' and '), params };
  return {
    where: [...where, 'c.id > ?', 'c.id <= ?'].join(' and '),
    params: [...params, range.cursor ?? '', range.last],
  };
}

/**
 * A CSV batch's bytes, written by PostgreSQL's own CSV writer through COPY (`copyOut`: no row
 * objects in the process, a few strings of whole lines of `pieceBytes`; memory: docs/EXPORTS.md):
 * RFC 4180 quoting, `\n` line ends, no value as an empty unquoted field, the cells
 * formula-neutralized (`neutralizedSql`), the tags cell the JSON array of names (`array_to_json`,
 * the same text as `tagsCell`). The file's first batch carries the header, even when nothing
 * matched. COPY's output streams to the client only, so these bytes pass through this process
 * and are stored by `storePieces`.
 */
async function copyCsvBatch(db: Database, job: ExportRow, range: BatchRange): Promise<CopiedText> {
  // The first range has no cursor; only it has something (the header) without rows.
  const first = range.cursor === null;
  if (range.last === null && !first) return { pieces: [], rows: 0 };
  const { where, params } = rangeWhere(job, range);
  return copyOut(db.fork(), {
    query: `select ${neutralizedSql('r.id')} as id, ${neutralizedSql('r.name')} as name,
       ${neutralizedSql('r."externalId"')} as external_id, array_to_json(r.tags)::text as tags, r."createdAt" as created_at
      from ${recordsSql} where ${where} order by c.id`,
    params,
    options: `format csv, header ${String(first)}`,
    settings: readPlanSettings,
    pieceBytes,
  });
}

/** What a batch stored: its rows, the bytes of its chunks, and the seq of its last chunk (null: none). */
type StoredBatch = { rows: number; bytes: number; lastSeq: number | null };

/** The columns of an export's chunk, as `copyIn` writes them. */
const chunkColumns = [
  { name: 'workspace_id', type: 'int4' },
  { name: 'export_id', type: 'text' },
  { name: 'seq', type: 'int4' },
  { name: 'data', type: 'text' },
] as const;

/**
 * Stores a CSV batch's pieces as chunks numbered from `base`, one chunk per piece (so that a
 * download reads small strings too), in one statement (`copyIn`: a COPY on PostgreSQL).
 */
async function storePieces(em: EntityManager, job: ExportRow, base: number, copied: CopiedText): Promise<StoredBatch> {
  const { pieces } = copied;
  await copyIn(em, {
    table: 'contact_export_chunk',
    columns: chunkColumns,
    rows: pieces.map((piece, index) => [job.workspace_id, job.id, base + index, piece]),
  });
  return {
    rows: copied.rows,
    bytes: pieces.reduce((sum, piece) => sum + Buffer.byteLength(piece), 0),
    lastSeq: pieces.length > 0 ? base + pieces.length - 1 : null,
  };
}

/**
 * A JSON lines batch (the file of `jsonl`, the stored rows of `xlsx`), built and stored by
 * PostgreSQL in one statement, its bytes never leaving the server: one exact `ExportRecord` per
 * line (`row_to_json` writes the columns in order, without spaces, escaped as `JSON.stringify`
 * does, every control character escaped, so a line feed only ends a line), gathered into chunks of
 * whole lines: a line starting in the k-th `pieceBytes` of the batch's text goes to its k-th
 * chunk (so a chunk is about `pieceBytes`, a longer line one of its own), numbered from `base` in
 * file order. Measured on 1,000,000 contacts: 1.2-1.3x the time of the same rows' COPY to
 * /dev/null on one connection, where passing COPY's bytes through this process and back cost its
 * CPU twice the file's size in copies and collections (docs/EXPORTS.md, "Speed").
 */
async function storeLinesBatch(
  em: EntityManager,
  job: ExportRow,
  range: BatchRange,
  base: number,
): Promise<StoredBatch> {
  if (range.last === null) return { rows: 0, bytes: 0, lastSeq: null };
  const { where, params } = rangeWhere(job, range);
  for (const setting of readPlanSettings) await em.execute(setting);
  const [stored] = await em.execute<{ rows: number; bytes: number | string; last: number | null }[]>(
    `with line as materialized (
       select c.id, row_to_json(r)::text || chr(10) as text from ${recordsSql} where ${where}),
     placed as (
       select id, text, (sum(octet_length(text)) over (order by id) - octet_length(text)) / ? as piece from line),
     chunk as (select piece, string_agg(text, '' order by id) as data from placed group by piece),
     stored as (
       insert into contact_export_chunk (workspace_id, export_id, seq, data)
       select ?, ?, ? + row_number() over (order by piece) - 1, data from chunk
       returning seq, octet_length(data) as bytes)
     select (select count(*)::int from line) as rows, coalesce(sum(bytes), 0) as bytes, max(seq) as last from stored`,
    [...params, pieceBytes, job.workspace_id, job.id, base],
  );
  return { rows: stored?.rows ?? 0, bytes: Number(stored?.bytes ?? 0), lastSeq: stored?.last ?? null };
}

/**
 * Batches written at the same time: building a batch's rows in PostgreSQL is most of an export's
 * time, and two run on two cores (docs/EXPORTS.md, "Speed").
 */
const batchesInFlight = 2;

/**
 * The first seq of the batch after one whose chunks end at `lastSeq` (0: none yet). A batch's
 * chunks are numbered from a base of its own, so that batches can be written at the same time:
 * each has room for `batchSize + 1` chunks (one per row, and a header), so their numbers keep the
 * file's order; a download reads them in that order, gaps and all.
 */
const nextBase = (lastSeq: number, batchSize: number): number =>
  (Math.floor(lastSeq / (batchSize + 1)) + 1) * (batchSize + 1);

/** The export's progress as a batch committed it: the seq of its last chunk, and the rows the batch added. */
type Progress = { lastSeq: number; rows: number };

/** Rolls a batch's transaction back when the export is gone (deleted, cancelled) or no longer this worker's. */
class ExportStopped extends Error {}

/**
 * A batch's write (`writeBatch`): `begun` settles once its transaction holds a connection (or the
 * write ended without one), `stored` with its progress, or null when the export stopped.
 */
type Write = { begun: Promise<void>; stored: Promise<Progress | null> };

/** A batch on its way: its range and its write. */
type BatchWrite = { range: BatchRange } & Write;

/**
 * Writes a batch in a transaction of its own: its chunks (numbered from `base`), then, once the
 * batch before has committed (`before`: its progress, null if it stopped), the export's progress
 * with the range's end as its cursor, checked against that batch's (a deleted export, or one
 * another worker took over, stops). So batches are written at the same time and committed in
 * order. While it writes, the transaction holds the export with a key share lock: a delete waits
 * for it, while the batch before can still update the export. CSV's bytes are read first, outside
 * the transaction (`copyCsvBatch`). Its transaction begins only after the one before has: one
 * waiting for the batch before while that one still waits for a connection would never end on a
 * single connection (embedded PGlite) or a pool with none to spare. `stored` resolves to the
 * progress, or null when the export stopped (nothing written).
 */
function writeBatch(db: Database, batch: BatchToWrite): Write {
  let begin = () => {};
  const begun = new Promise<void>((resolve) => (begin = resolve));
  const stored = storeBatch(db, batch, begin);
  void stored.finally(begin).catch(() => undefined);
  return { begun, stored };
}

/** A batch to write: its export, range, first chunk number, the write before it, and whether it ends the slice. */
type BatchToWrite = { job: ExportRow; range: BatchRange; base: number; before: Write; lastOfSlice: boolean };

async function storeBatch(db: Database, batch: BatchToWrite, begin: () => void): Promise<Progress | null> {
  const { job, range, base, before, lastOfSlice } = batch;
  const copied = job.format === 'csv' ? await copyCsvBatch(db, job, range) : undefined;
  await before.begun;
  try {
    return await inTransaction(db.fork(), async (em) => {
      begin();
      const [held] = await em.execute<{ id: string }[]>(
        `select id from contact_export where workspace_id = ? and id = ? and status = 'running' for key share`,
        [job.workspace_id, job.id],
      );
      if (!held) throw new ExportStopped();
      const written = copied ? await storePieces(em, job, base, copied) : await storeLinesBatch(em, job, range, base);
      // After the batch's read: a filter tag deleted behind the service's back (its rows go with it)
      // before or during the read fails the export, instead of a file that quietly holds the
      // contacts an exclusion was to leave out (black-box attack, session 26; the API refuses to
      // delete or merge such a tag, and the first batch checks them too).
      const criteria = criteriaOf(job);
      const gone = await firstMissingTag(em, job.workspace_id, [...criteria.tagIds, ...criteria.excludeTagIds]);
      if (gone !== undefined) throw new ExportFilterTagGone(gone);
      const previous = await before.stored;
      if (!previous) throw new ExportStopped();
      const [current] = await em.execute<{ total_rows: number | null }[]>(
        `select total_rows from contact_export
         where workspace_id = ? and id = ? and status = 'running' and cursor is not distinct from ? and chunks = ?
         for no key update`,
        [job.workspace_id, job.id, range.cursor, previous.lastSeq],
      );
      if (!current) throw new ExportStopped();
      const lastSeq = written.lastSeq ?? previous.lastSeq;
      // The byte order mark is sent with the file (`exportFile`), but it is part of its size.
      const bytes = written.bytes + (previous.lastSeq === 0 && job.bom ? Buffer.byteLength(byteOrderMark) : 0);
      // Contacts added after the count can still match past the cursor: the total grows with
      // what was written, and at the end it is exactly the file's rows.
      await em.execute(
        withJobFinishedEvent(
          `update contact_export set status = ?, cursor = ?,
             total_rows = case when ? then rows_written + ? else greatest(?, rows_written + ?) end,
             rows_written = rows_written + ?, attempts = 0, hard_failures = 0, error = null,
             chunks = ?, bytes_written = bytes_written + ?, updated_at = now(),
             run_after = case when ? then now() else run_after end,
             completed_at = case when ? then now() else null end
           where workspace_id = ? and id = ?`,
          'export',
        ),
        [
          range.done ? 'done' : 'running',
          range.last ?? range.cursor,
          range.done,
          written.rows,
          current.total_rows ?? 0,
          written.rows,
          written.rows,
          lastSeq,
          bytes,
          lastOfSlice,
          range.done,
          job.workspace_id,
          job.id,
        ],
      );
      return { lastSeq, rows: written.rows };
    });
  } catch (error) {
    if (error instanceof ExportStopped) return null;
    throw error;
  }
}

/**
 * The claimed export's slice: batches until it is done, the slice is over, or the export is gone.
 * Ranges are found in order and up to `batchesInFlight` batches are written at once
 * (`writeBatch`), committed in order, each with its range's end as the cursor.
 */
async function buildSlice(
  db: Database,
  job: ExportRow,
  batchSize: number,
  sliceMs: number,
  onBatch: ExportBuildOptions['onBatch'],
): Promise<void> {
  const started = performance.now();
  const writes: BatchWrite[] = [];
  // Where the next range starts, its chunks' base, the write it commits after, and whether this
  // slice starts no more (the end was found, or the slice's time is up: those started finish).
  let from = job.cursor;
  let base = nextBase(job.chunks, batchSize);
  let before: Write = { begun: Promise.resolve(), stored: Promise.resolve({ lastSeq: job.chunks, rows: 0 }) };
  let ended = false;
  try {
    for (;;) {
      while (!ended && writes.length < batchesInFlight) {
        const range = await nextRange(db, job, from, batchSize);
        ended = range.done || performance.now() - started >= sliceMs;
        const write = writeBatch(db, { job, range, base, before, lastOfSlice: ended });
        // Awaited in order below; until then a failure must not count as unhandled.
        write.stored.catch(() => undefined);
        writes.push({ range, ...write });
        before = write;
        from = range.last ?? from;
        base += batchSize + 1;
      }
      const write = writes.shift();
      if (!write) return;
      const progress = await write.stored;
      if (!progress) return;
      // As the committed row now says: a later failure of this slice counts from zero.
      job.attempts = 0;
      job.hard_failures = 0;
      await onBatch?.({ exportId: job.id, rowsWritten: (job.rows_written += progress.rows) });
    }
  } finally {
    // Writes of a stopped slice (the export is gone, or a batch failed) stop at the failed one;
    // they finish before the worker moves on and must not fail unobserved.
    await Promise.all(writes.map((write) => write.stored.catch(() => undefined)));
  }
}
