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
 * The first characters a spreadsheet reads as the start of a formula (OWASP "CSV injection"):
 * `=`, `+`, `-`, `@`, tab, carriage return, and the full-width `＝＋－＠` that some spreadsheets
 * read as the ASCII ones. The one list both writers use: `neutralizedSql` (CSV, written by
 * PostgreSQL) and `neutralizeFormula` (xlsx cells).
 */
const formulaStarts = ['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20'] as const;

const formulaStart = new RegExp(
  `^[${formulaStarts.map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}]`,
);

/**
 * A cell a spreadsheet would read as a formula (`formulaStarts`) gets a leading `'`, in CSV
 * (`neutralizedSql`) and xlsx alike, so the two files agree. The apostrophe stays in the value
 * (`=1+2` is shown as `'=1+2`); JSON lines keep values exact.
 */
export function neutralizeFormula(value: string): string {
  return formulaStart.test(value) ? `'${value}` : value;
}

/**
 * `neutralizeFormula` as an SQL expression of the text `column` (null stays null), for the CSV
 * file PostgreSQL writes. Its literals are made here from `formulaStarts` (control characters as
 * `chr(n)`), never from input.
 */
export function neutralizedSql(column: string): string {
  const starts = formulaStarts.map((char) => {
    const code = char.charCodeAt(0);
    return code < 0x20 ? `chr(${code})` : `'${char}'`;
  });
  return `case when left(${column}, 1) in (${starts.join(', ')}) then '''' || ${column} else ${column} end`;
}

/** A record as the cells of an xlsx row (before formula neutralizing), in `exportColumns` order. */
export const cellsOf = (record: ExportRecord): string[] => [
  record.id,
  record.name,
  record.externalId ?? '',
  tagsCell(record.tags),
  record.createdAt,
];

/**
 * The UTF-8 byte order mark a CSV export may start with. Added as the file is downloaded, not
 * stored: PGlite reads text through a `TextDecoder`, which drops a leading one.
 */
export const byteOrderMark = '\uFEFF';
