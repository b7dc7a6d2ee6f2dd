import { z } from 'zod';
import { ContactExportId } from './ids.ts';
import { JobStatus } from './jobs.ts';
import { PageInput } from './pagination.ts';
import { TagFilterBody } from './tag-filters.ts';

/**
 * The file formats of an export (docs/EXPORTS.md says which to pick): `csv` for any tool
 * (formula-neutralized, optionally with a UTF-8 byte order mark for Excel), `xlsx` for Excel and
 * spreadsheet users (formula-neutralized), `jsonl` for programs (every value exact).
 */
export const exportFormats = ['csv', 'jsonl', 'xlsx'] as const;
export const ExportFormat = z.enum(exportFormats);
export type ExportFormat = z.infer<typeof ExportFormat>;

/**
 * `POST /api/exports`: the contacts matching the tag filter (all of them without one). `bom`
 * (CSV only; 400 with another format) starts the file with a UTF-8 byte order mark, which Excel
 * needs to read accented and non-Latin names correctly when it opens a CSV by double-click.
 */
export const CreateExportInput = TagFilterBody.extend({
  format: ExportFormat.default('csv'),
  bom: z.boolean().default(false),
}).refine((input) => !input.bom || input.format === 'csv', {
  message: 'bom applies to the csv format only',
  path: ['bom'],
});
export type CreateExportInput = z.infer<typeof CreateExportInput>;

/** An export's id (`exp_<uuid>` or the bare UUID); reads ignore unknown query parameters. */
export const ExportIdInput = z.object({ id: ContactExportId });

/** `GET /api/exports`: the workspace's exports, newest first, keyset-paged like every list. */
export const ListExportsInput = PageInput;
export type ListExportsInput = z.infer<typeof ListExportsInput>;

export const ContactExportView = z.object({
  id: z.string(),
  format: ExportFormat,
  /** The CSV file starts with a UTF-8 byte order mark. */
  bom: z.boolean(),
  status: JobStatus,
  /**
   * Contacts matching when the export started (null until then), raised if contacts added since
   * are written too (never below `rowsWritten`); when done, exactly the rows in the file.
   */
  totalRows: z.number().int().nullable(),
  rowsWritten: z.number().int(),
  /**
   * Bytes stored so far: the file itself for CSV and JSON lines; for xlsx the rows it is made
   * of (the workbook is compressed as it is downloaded, so the file is smaller).
   */
  bytesWritten: z.number().int(),
  /** rowsWritten / totalRows, 0 to 1. */
  progress: z.number(),
  /** Why it failed, when it did; while it retries, the last failure (cleared by progress). */
  error: z.string().nullable(),
  createdAt: z.iso.datetime(),
  /** When it ended, `done` or `failed`; null while unfinished. */
  completedAt: z.iso.datetime().nullable(),
  /** When the service deletes the export and its file (`EXPORT_EXPIRY_DAYS` after it ended); null while unfinished. */
  expiresAt: z.iso.datetime().nullable(),
  downloadUrl: z.string(),
});
export type ContactExportView = z.infer<typeof ContactExportView>;

/** A page of `GET /api/exports`: newest first; `nextCursor` is null on the last page. */
export const ExportPage = z.object({ exports: z.array(ContactExportView), nextCursor: z.string().nullable() });
export type ExportPage = z.infer<typeof ExportPage>;
