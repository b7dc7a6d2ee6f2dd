import { stringify } from 'csv-stringify/sync';
import type { ExportFormat } from '@tagging/contracts';
import { toIso } from '../db/sql-values.ts';

/** A contact as the export query returns it: its tag names in the tags' display order. */
export type ExportContactRow = {
  id: string;
  name: string;
  external_id: string | null;
  created_at: unknown;
  tags: string[] | string | null;
};

/** One contact of an export, exact: what a JSON line holds and what xlsx cells are made of. */
export type ExportRecord = {
  id: string;
  name: string;
  externalId: string | null;
  tags: string[];
  createdAt: string;
};

/** The column headers of the CSV and xlsx files, in order. */
export const exportColumns = ['id', 'name', 'external_id', 'tags', 'created_at'] as const;

/** The tag names come as `jsonb`: parsed by the drivers, or its text form. */
const tagNames = (value: ExportContactRow['tags']): string[] =>
  typeof value === 'string' ? (JSON.parse(value) as string[]) : (value ?? []);

const recordOf = (row: ExportContactRow): ExportRecord => ({
  id: row.id,
  name: row.name,
  externalId: row.external_id,
  tags: tagNames(row.tags),
  createdAt: toIso(row.created_at),
});

/**
 * The tags cell of CSV and xlsx: the exact tag names as a JSON array (`["Sales","West"]`), so that
 * a contact tagged `Sales; West` and one tagged `Sales` and `West` differ, and any name (commas,
 * quotes, semicolons, newlines) splits back exactly with one `JSON.parse`. It starts with `[`, so
 * it never needs formula neutralizing. No tags: `[]`.
 */
export const tagsCell = (tags: readonly string[]): string => JSON.stringify(tags);

/**
 * What a spreadsheet would read as a formula (OWASP "CSV injection"): a cell starting with
 * `=`, `+`, `-`, `@`, tab or carriage return (and the full-width `＝＋－＠`) gets a leading `'`,
 * exactly as csv-stringify's `escape_formulas` does for CSV, so CSV and xlsx files agree. The
 * apostrophe stays in the value (`=1+2` is shown as `'=1+2`); JSON lines keep values exact.
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(value) ? `'${value}` : value;
}

/** A record as the cells of a CSV or xlsx row (before formula neutralizing), in `exportColumns` order. */
export const cellsOf = (record: ExportRecord): string[] => [
  record.id,
  record.name,
  record.externalId ?? '',
  tagsCell(record.tags),
  record.createdAt,
];

/** csv-stringify writes every CSV byte: RFC 4180 quoting, `\n` records, formulas neutralized. */
const csvOptions = { escape_formulas: true, record_delimiter: 'unix' } as const;

/** Where a batch sits in its file: the first one carries the header. */
export type BatchPlace = { first: boolean };

/**
 * The UTF-8 byte order mark a CSV export may start with. Added as the file is downloaded, not
 * stored: PGlite reads text through a `TextDecoder`, which drops a leading one.
 */
export const byteOrderMark = '\uFEFF';

/**
 * One batch of contacts as the bytes the export stores. CSV: csv-stringify (with the header on the
 * first batch). JSON lines: one exact `ExportRecord` per line. xlsx: the
 * same JSON lines; the workbook is assembled from them at download (`xlsxFile`), because a zip
 * container cannot be resumed across the batches' transactions and processes.
 */
export function formatExportRows(format: ExportFormat, rows: ExportContactRow[], place: BatchPlace): string {
  const records = rows.map(recordOf);
  if (format !== 'csv') return records.map((record) => `${JSON.stringify(record)}\n`).join('');
  const body = stringify(records.map(cellsOf), csvOptions);
  if (!place.first) return body;
  return `${stringify([[...exportColumns]], csvOptions)}${body}`;
}
