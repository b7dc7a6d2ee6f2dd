import type { ContactExportView, CreateExportInput, ExportFormat, TagCriteria } from '@tagging/contracts';
import { criteriaOfBody } from '@tagging/contracts';
import type { Database, EntityManager } from '../db/database.ts';
import { toIso } from '../db/sql-values.ts';
import { inTransaction } from '../db/transaction.ts';
import { notFound } from '../errors.ts';
import { tagFilterSql } from '../filters/tag-filter-sql.ts';
import { uuidv7 } from '../ids.ts';
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
  error: string | null;
  created_at: unknown;
  completed_at: unknown;
};

const downloadUrlOf = (id: string) => `/api/exports/${id}/download`;

const toView = (row: ExportRow): ContactExportView => ({
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
  downloadUrl: downloadUrlOf(row.id),
});

/** Queues an export; the background worker builds it batch by batch. */
export async function createExport(
  em: EntityManager,
  workspaceId: number,
  input: CreateExportInput,
): Promise<ContactExportView> {
  const [row] = await em.execute<ExportRow[]>(
    `insert into contact_export (workspace_id, id, format, criteria) values (?, ?, ?, ?::jsonb) returning *`,
    [workspaceId, `exp_${uuidv7()}`, input.format, JSON.stringify(criteriaOfBody(input))],
  );
  if (!row) throw new Error('insert returned no row');
  return toView(row);
}

export async function getExport(em: EntityManager, workspaceId: number, id: string): Promise<ContactExportView> {
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

const maxAttempts = 3;

/**
 * Builds one batch of the least recently advanced unfinished export (so several exports move
 * along together): the next `batchSize` matching contacts after the cursor, with their tag
 * names, become one chunk of the file. Memory holds one batch, whatever the export's size.
 * Returns false when there is nothing to do. A batch of 10,000 is ~1.5 MiB of CSV: big enough that
 * the per-batch transaction, chunk row and job update stay a small part of the cost.
 */
export async function runExportBatch(db: Database, batchSize = 10_000): Promise<boolean> {
  let claimed: ExportRow | undefined;
  try {
    return await inTransaction(db.fork(), async (em) => {
      const [job] = await em.execute<ExportRow[]>(
        `select * from contact_export where status in ('pending', 'running')
         order by updated_at limit 1 for update skip locked`,
      );
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
      await em.execute(
        `update contact_export set status = ?, cursor = ?, total_rows = ?, rows_written = rows_written + ?,
           chunks = ?, bytes_written = bytes_written + ?, updated_at = now(),
           completed_at = case when ? then now() else null end
         where workspace_id = ? and id = ?`,
        [
          done ? 'done' : 'running',
          rows.at(-1)?.id ?? job.cursor,
          total,
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
      const message = error instanceof Error ? error.message : String(error);
      await db.fork().execute(
        `update contact_export set attempts = attempts + 1, error = ?, updated_at = now(),
           status = case when attempts + 1 >= ? then 'failed' else status end
         where workspace_id = ? and id = ?`,
        [`export batch failed: ${message}`, maxAttempts, claimed.workspace_id, claimed.id],
      );
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
