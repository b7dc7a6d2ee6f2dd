import type { ContactExportView, CreateExportInput, ExportFormat, TagCriteria } from '@tagging/contracts';
import { withJobFinishedEvent } from '../events/event-outbox.ts';
import { criteriaOfBody } from '@tagging/contracts';
import type { Database, EntityManager } from '../db/database.ts';
import { toIso } from '../db/sql-values.ts';
import { inTransaction } from '../db/transaction.ts';
import { DomainError, notFound } from '../errors.ts';
import { tagFilterSql } from '../filters/tag-filter-sql.ts';
import { lockWorkspace } from '../entity-tags/entity-locks.ts';
import { uuidv7 } from '../ids.ts';
import type { ContactExport } from '../plain-result.ts';
import { exportRetryPolicy, failureOutcome, type RetryPolicy } from '../jobs/job-retries.ts';
import { csvHeader, formatExportRows, type ExportContactRow } from './export-rows.ts';

type ExportRow = {
  workspace_id: number;
  id: string;
  format: ExportFormat;
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
  completed_at: unknown;
};

const toView = (row: ExportRow): ContactExport => ({
  id: row.id,
  format: row.format,
  status: row.status,
  totalRows: row.total_rows,
  rowsWritten: row.rows_written,
  bytesWritten: Number(row.bytes_written),
  progress: row.status === 'done' ? 1 : row.total_rows ? row.rows_written / row.total_rows : 0,
  error: row.error,
  createdAt: toIso(row.created_at),
  completedAt: row.completed_at === null ? null : toIso(row.completed_at),
});

/** How many exports a workspace may have queued or running at once. */
export type ExportSettings = { maxActivePerWorkspace: number };
export const defaultExportSettings: ExportSettings = { maxActivePerWorkspace: 5 };

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
  input: CreateExportInput,
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
    const [row] = await em.execute<ExportRow[]>(
      `insert into contact_export (workspace_id, id, format, criteria) values (?, ?, ?, ?::jsonb) returning *`,
      [workspaceId, `exp_${uuidv7()}`, input.format, JSON.stringify(criteriaOfBody(input))],
    );
    if (!row) throw new Error('insert returned no row');
    return toView(row);
  });
}

export async function getExport(em: EntityManager, workspaceId: number, id: string): Promise<ContactExport> {
  const [row] = await em.execute<ExportRow[]>('select * from contact_export where workspace_id = ? and id = ?', [
    workspaceId,
    id,
  ]);
  if (!row) throw notFound('export', id);
  return toView(row);
}

/** The export's file, `limit` chunks at a time after `afterSeq`, for streaming downloads. */
export async function readExportChunks(
  em: EntityManager,
  workspaceId: number,
  id: string,
  afterSeq: number,
  limit: number,
): Promise<{ seq: number; data: string }[]> {
  return em.execute<{ seq: number; data: string }[]>(
    `select seq, data from contact_export_chunk where workspace_id = ? and export_id = ? and seq > ? order by seq limit ?`,
    [workspaceId, id, afterSeq, limit],
  );
}

/**
 * The export to work on next, locked for this transaction: fair between workspaces, so that one
 * workspace's queue of exports cannot hold back another's. Among the unfinished exports whose
 * backoff is over, the one of the workspace served least recently (the newest `updated_at` of
 * its started exports; never served comes first), then that workspace's least recently advanced
 * export. The unfinished set is small (a few per workspace, by the cap), and each workspace's
 * "last served" is one probe of a partial index. A queue claim (skip locked), not a row lock of
 * the order `entity-tags/entity-locks.ts` keeps, so it stays with the queue.
 */
async function claimExport(em: EntityManager): Promise<ExportRow | undefined> {
  const [row] = await em.execute<ExportRow[]>(
    `select e.* from contact_export e
     where e.status in ('pending', 'running') and e.run_after <= now()
     order by (select max(s.updated_at) from contact_export s
               where s.workspace_id = e.workspace_id and s.status <> 'pending') asc nulls first,
              e.updated_at
     limit 1 for update of e skip locked`,
  );
  return row;
}

/**
 * Builds one batch of the next export (see `claimExport`): the next `batchSize` matching
 * contacts after the cursor, with their tag names, become one chunk of the file. Memory holds
 * one batch, whatever the export's size. Returns false when there is nothing to do. A batch of
 * 10,000 is ~1.5 MiB of CSV: big enough that the per-batch transaction, chunk row and job update
 * stay a small part of the cost. A failed batch is retried with backoff (`exportRetryPolicy`:
 * transient failures for ever, others up to 3 times).
 */
export async function runExportBatch(
  db: Database,
  batchSize = 10_000,
  policy: RetryPolicy = exportRetryPolicy,
): Promise<boolean> {
  let claimed: ExportRow | undefined;
  try {
    return await inTransaction(db.fork(), async (em) => {
      const job = await claimExport(em);
      if (!job) return false;
      claimed = job;
      const criteria = (typeof job.criteria === 'string' ? JSON.parse(job.criteria) : job.criteria) as TagCriteria;
      const filter = tagFilterSql('c', 'contact', job.workspace_id, criteria);
      const where = ['c.workspace_id = ?', ...filter.where];
      const params = [job.workspace_id, ...filter.params];
      let seq = job.chunks;
      let total = job.total_rows;
      if (job.status === 'pending') {
        const [count] = await em.execute<{ total: number }[]>(
          `select count(*)::int as total from contact c where ${where.join(' and ')}`,
          params,
        );
        total = count?.total ?? 0;
        if (job.format === 'csv') await appendChunk(em, job, ++seq, csvHeader);
      }
      const rows = await em.execute<(ExportContactRow & { id: string })[]>(
        `select c.id, c.name, c.external_id, c.created_at,
                to_jsonb(array(
                  select t.name from entity_tag et join tag t on t.workspace_id = et.workspace_id and t.id = et.tag_id
                  where et.workspace_id = c.workspace_id and et.entity_type = 'contact' and et.entity_id = c.id
                  order by t."order", t.id)) as tags
         from contact c where ${[...where, 'c.id > ?'].join(' and ')} order by c.id limit ?`,
        [...params, job.cursor ?? '', batchSize],
      );
      const data = formatExportRows(job.format, rows);
      if (data) await appendChunk(em, job, ++seq, data);
      const done = rows.length < batchSize;
      // Contacts added after the count can still match past the cursor: the total grows with
      // what was written, and at the end it is exactly the file's rows.
      await em.execute(
        withJobFinishedEvent(
          `update contact_export set status = ?, cursor = ?,
             total_rows = case when ? then rows_written + ? else greatest(?, rows_written + ?) end,
             rows_written = rows_written + ?, attempts = 0, hard_failures = 0, error = null,
             chunks = ?, bytes_written = bytes_written + ?, updated_at = now(),
             completed_at = case when ? then now() else null end
           where workspace_id = ? and id = ?`,
          'export',
        ),
        [
          done ? 'done' : 'running',
          rows.at(-1)?.id ?? job.cursor,
          done,
          rows.length,
          total ?? 0,
          rows.length,
          rows.length,
          seq,
          Buffer.byteLength(data) + (job.status === 'pending' && job.format === 'csv' ? csvHeader.length : 0),
          done,
          job.workspace_id,
          job.id,
        ],
      );
      return true;
    });
  } catch (error) {
    if (claimed) {
      const outcome = failureOutcome(
        error,
        { attempts: claimed.attempts, hardFailures: claimed.hard_failures },
        policy,
      );
      // Written on its own connection; if even that fails, the export stays claimable as it was.
      await db
        .fork()
        .execute(
          withJobFinishedEvent(
            `update contact_export set attempts = attempts + 1, hard_failures = hard_failures + ?, error = ?,
               updated_at = now(),
               run_after = now() + ? * interval '1 millisecond',
               status = case when ? then 'failed' else status end
             where workspace_id = ? and id = ? and status in ('pending', 'running')`,
            'export',
          ),
          [
            outcome.transient ? 0 : 1,
            `export batch failed: ${outcome.message}`,
            outcome.delayMs,
            outcome.failsJob,
            claimed.workspace_id,
            claimed.id,
          ],
        )
        .catch(() => undefined);
    }
    throw error;
  }
}

async function appendChunk(em: EntityManager, job: ExportRow, seq: number, data: string): Promise<void> {
  await em.execute('insert into contact_export_chunk (workspace_id, export_id, seq, data) values (?, ?, ?, ?)', [
    job.workspace_id,
    job.id,
    seq,
    data,
  ]);
}
