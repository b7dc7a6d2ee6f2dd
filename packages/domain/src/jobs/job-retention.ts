import { deleteInBatches } from '../db/batched-delete.ts';
import type { Database } from '../db/database.ts';
import { defaultExportSettings, exportExpiryMs, type ExportSettings } from '../exports/contact-exports.ts';
import { deleteExpiredIdempotencyKeys } from '../idempotency/idempotency-keys.ts';

/**
 * How long finished propagation jobs (`done`, `failed`, `cancelled`) are kept after their last
 * change. Exports have their own expiry, in one place: `ExportSettings.expiryMs`.
 */
export type RetentionSettings = { jobRetentionMs: number };

const day = 24 * 60 * 60 * 1000;
export const defaultRetentionSettings: RetentionSettings = { jobRetentionMs: 7 * day };

/** Rows per delete statement: an export's chunks go with it, so a statement stays short. */
const jobsPerStatement = 1000;
const exportsPerStatement = 50;

/**
 * The finished rows of a job table last changed more than `olderThanMs` ago, walking its partial
 * index by age. Picked by `ctid` (a TID scan: matched back by key, PostgreSQL hash-joined the
 * whole table, as for idempotency keys), which also leaves alone a row changed since it was
 * picked: a job retried meanwhile (`retryFailedJob`, `pending` again) is a new row version, at
 * another `ctid`. (Matched by key, the delete would have taken the retried job.)
 */
const deleteFinished = (db: Database, table: string, olderThanMs: number, limit: number): Promise<number> =>
  deleteInBatches(
    db,
    `delete from ${table} where ctid = any(array(
       select ctid from ${table}
       where status not in ('pending', 'running') and updated_at < now() - ? * interval '1 millisecond'
       order by updated_at limit ?))
     returning id`,
    [olderThanMs],
    limit,
  );

/**
 * Deletes the finished jobs past their retention and the exports past their expiry (the row and
 * every chunk of its file; their status and download answer 404 afterwards), and the expired
 * idempotency keys (each key carries its own expiry); returns how many went.
 */
export async function deleteExpiredBackgroundWork(
  db: Database,
  settings: RetentionSettings = defaultRetentionSettings,
  exports: ExportSettings = defaultExportSettings,
): Promise<{ jobs: number; exports: number; idempotencyKeys: number }> {
  const jobs = await deleteFinished(db, 'propagation_job', settings.jobRetentionMs, jobsPerStatement);
  const expired = await deleteFinished(db, 'contact_export', exportExpiryMs(exports), exportsPerStatement);
  const idempotencyKeys = await deleteExpiredIdempotencyKeys(db);
  return { jobs, exports: expired, idempotencyKeys };
}
