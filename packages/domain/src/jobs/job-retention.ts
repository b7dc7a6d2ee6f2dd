import type { Database } from '../db/database.ts';
import { deleteExpiredIdempotencyKeys } from '../idempotency/idempotency-keys.ts';

/**
 * How long finished background work is kept. Propagation jobs that ended (`done`, `failed`,
 * `cancelled`) are deleted `jobRetentionMs` after their last change; exports (the row and every
 * chunk of its file) `exportExpiryMs` after theirs, after which their status and download
 * answer 404.
 */
export type RetentionSettings = { jobRetentionMs: number; exportExpiryMs: number };

const day = 24 * 60 * 60 * 1000;
export const defaultRetentionSettings: RetentionSettings = { jobRetentionMs: 7 * day, exportExpiryMs: 7 * day };

/** Rows per delete statement: an export's chunks go with it, so a statement stays short. */
const jobsPerStatement = 1000;
const exportsPerStatement = 50;

async function deleteFinished(db: Database, table: string, olderThanMs: number, limit: number): Promise<number> {
  let deleted = 0;
  for (;;) {
    // Each statement is its own transaction, walking the partial index of finished rows by age.
    const rows = await db.fork().execute<{ id: string }[]>(
      `delete from ${table} where (workspace_id, id) in (
         select workspace_id, id from ${table}
         where status not in ('pending', 'running') and updated_at < now() - ? * interval '1 millisecond'
         order by updated_at limit ?)
       returning id`,
      [olderThanMs, limit],
    );
    deleted += rows.length;
    if (rows.length < limit) return deleted;
  }
}

/**
 * Deletes the finished jobs and expired exports past their retention, and the expired
 * idempotency keys (each key carries its own expiry); returns how many went.
 */
export async function deleteExpiredBackgroundWork(
  db: Database,
  settings: RetentionSettings = defaultRetentionSettings,
): Promise<{ jobs: number; exports: number; idempotencyKeys: number }> {
  const jobs = await deleteFinished(db, 'propagation_job', settings.jobRetentionMs, jobsPerStatement);
  const exports = await deleteFinished(db, 'contact_export', settings.exportExpiryMs, exportsPerStatement);
  const idempotencyKeys = await deleteExpiredIdempotencyKeys(db);
  return { jobs, exports, idempotencyKeys };
}
