import { z } from 'zod';
import { ContactExportId } from './ids.ts';
import { JobStatus } from './jobs.ts';
import { TagFilterBody } from './tag-filters.ts';

export const exportFormats = ['csv', 'jsonl'] as const;
export const ExportFormat = z.enum(exportFormats);
export type ExportFormat = z.infer<typeof ExportFormat>;

/** `POST /api/exports`: the contacts matching the tag filter (all of them without one). */
export const CreateExportInput = TagFilterBody.extend({ format: ExportFormat.default('csv') });
export type CreateExportInput = z.infer<typeof CreateExportInput>;

/** An export's id (`exp_<uuid>` or the bare UUID); reads ignore unknown query parameters. */
export const ExportIdInput = z.object({ id: ContactExportId });

export const ContactExportView = z.object({
  id: z.string(),
  format: ExportFormat,
  status: JobStatus,
  /**
   * Contacts matching when the export started (null until then), raised if contacts added since
   * are written too (never below `rowsWritten`); when done, exactly the rows in the file.
   */
  totalRows: z.number().int().nullable(),
  rowsWritten: z.number().int(),
  bytesWritten: z.number().int(),
  /** rowsWritten / totalRows, 0 to 1. */
  progress: z.number(),
  /** Why it failed, when it did; while it retries, the last failure (cleared by progress). */
  error: z.string().nullable(),
  createdAt: z.iso.datetime(),
  completedAt: z.iso.datetime().nullable(),
  downloadUrl: z.string(),
});
export type ContactExportView = z.infer<typeof ContactExportView>;
