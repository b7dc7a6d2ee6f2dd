import { stringify } from 'csv-stringify/sync';
import type { ExportFormat } from '@tagging/contracts';

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

/**
 * csv-stringify writes every CSV byte: RFC 4180 quoting, `\n` records, formulas neutralized. A
 * field with a carriage return is quoted too (`quoted_match`): csv-stringify quotes only fields
 * holding its record delimiter, and a lone CR left bare ends the row for parsers and
 * spreadsheets, starting the next one with the rest of the value, unneutralized (attack finding,
 * session 6). A string pattern, not `/\r/`: csv-stringify tests it with `indexOf` (a regular
 * expression cost ~20 % of its time).
 */
const csvOptions = { escape_formulas: true, record_delimiter: 'unix', quoted_match: '\r' } as const;

/** Where a batch sits in its file: the first one carries the header. */
export type BatchPlace = { first: boolean };

/**
 * The UTF-8 byte order mark a CSV export may start with. Added as the file is downloaded, not
 * stored: PGlite reads text through a `TextDecoder`, which drops a leading one.
 */
export const byteOrderMark = '\uFEFF';

/**
 * One piece of a batch as the bytes the export stores, from what PostgreSQL wrote (about 48 KiB:
 * `readBatch`). JSON lines and xlsx: the JSON lines, stored as they are (the workbook is
 * assembled from them at download, `xlsxFile`, because a zip container cannot be resumed across
 * the batches' transactions and processes). CSV: a JSON array of rows of cells (`cellsOf`'s
 * order), parsed at once and written by csv-stringify, with the header on the file's first
 * piece.
 */
export function formatExportBatch(format: ExportFormat, piece: string, place: BatchPlace): string {
  if (format !== 'csv') return piece;
  const rows = piece === '' ? [] : (JSON.parse(piece) as string[][]);
  return stringify(place.first ? [[...exportColumns], ...rows] : rows, csvOptions);
}
