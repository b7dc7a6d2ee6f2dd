import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { cellsOf, exportColumns, neutralizeFormula, type ExportRecord } from './export-rows.ts';

/**
 * How many bytes of sheet XML may wait for the zip writer (in exceljs' `StreamBuf` and in the
 * stream archiver reads it through). exceljs writes into that stream without waiting for it, so
 * without this bound a fast feed queued the whole sheet there (hundreds of MiB of buffers for a
 * 1,000,000-row export). Past it, feeding waits for the zip writer (and so the download) to
 * take them: memory stays bounded whatever the export's size or the client's speed.
 */
const maxPendingSheetBytes = 512 * 1024;

/** Rows added between two checks of `maxPendingSheetBytes` (~40 KiB of XML). */
const rowsPerCheck = 200;

/**
 * The parts of exceljs' sheet writer read for backpressure (internal: `stream` is its
 * `StreamBuf` of 64 KiB buffers, `pipes` what it writes into once the zip writer reads it;
 * absent means "nothing pending").
 */
type SheetInternals = { stream?: { buffers?: unknown[]; pipes?: PipedStream[] } };

/** A stream the sheet writes into: Node's, or readable-stream 2's (archiver's), which has no `writableLength`. */
type PipedStream = { writableLength?: number; _writableState?: { length?: number } };

const queuedBytes = (stream: PipedStream): number => stream.writableLength ?? stream._writableState?.length ?? 0;

const pendingSheetBytes = (sheet: unknown): number => {
  const stream = (sheet as SheetInternals).stream;
  const piped = (stream?.pipes ?? []).reduce((sum, pipe) => sum + queuedBytes(pipe), 0);
  return (stream?.buffers?.length ?? 0) * 65_536 + piped;
};

/**
 * Characters XML 1.0 cannot carry (C0 controls but tab, LF and CR; U+FFFE, U+FFFF; surrogates
 * not in a pair: with the `u` flag a class matches a surrogate only when it is alone), and DEL, which exceljs drops; and a literal `_xHHHH_`, which readers would
 * decode. ECMA-376 Part 1, §22.9.2.19 (ST_Xstring).
 */
// eslint-disable-next-line no-control-regex -- these control characters are what is matched
const needsEscape = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff\ud800-\udfff]|_x[0-9a-fA-F]{4}_/gu;

/** Excel's most characters in one cell (its specifications and limits). */
export const xlsxCellMaxLength = 32_767;

/** What ends a value cut to fit one xlsx cell (docs/EXPORTS.md). */
export const xlsxCutMarker = '…[cut: longer than an Excel cell holds; export CSV or JSON lines for the whole value]';

type XlsxCell = string | { richText: { text: string }[] };

/**
 * A value as an xlsx cell. Most values: a plain string cell (`t="str"`). A value longer than an
 * Excel cell holds (`xlsxCellMaxLength`) is cut, whole characters only, and ends with
 * `xlsxCutMarker`. A value with characters XML cannot carry (`needsEscape`) is written the
 * OOXML way, `_xHHHH_` (a literal `_xHHHH_` as `_x005F_xHHHH_`), in an inline string
 * (`t="inlineStr"`): readers decode those there, where exceljs leaves a `t="str"` value as it
 * is; so every reader gets the exact value back.
 */
export function xlsxCell(value: string): XlsxCell {
  let text = value;
  if (text.length > xlsxCellMaxLength) {
    let end = xlsxCellMaxLength - xlsxCutMarker.length;
    // Never half a surrogate pair.
    if (/[\ud800-\udbff]/u.test(text.charAt(end - 1))) end -= 1;
    text = text.slice(0, end) + xlsxCutMarker;
  }
  const escaped = text.replace(needsEscape, (match) =>
    match.startsWith('_x') ? `_x005F${match}` : `_x${match.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`,
  );
  return escaped === text ? text : { richText: [{ text: escaped }] };
}

/**
 * The xlsx workbook of an export, streamed: exceljs' streaming `WorkbookWriter` (no shared
 * strings, no styles: every cell a string (`xlsxCell`), rows committed as written), fed from the
 * export's stored JSON lines (`storeLinesBatch` in contact-exports.ts), one chunk at a time. Every cell is
 * formula-neutralized like the CSV's (`neutralizeFormula`), the tags cell is the JSON array of
 * exact names (`tagsCell`). One sheet, "Contacts", with the CSV's header row.
 */
export function xlsxFile(chunks: AsyncIterable<string>): AsyncIterable<Buffer> {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet('Contacts');
  // The zip writer has taken the sheet's XML, and the client what is queued for it.
  const drained = async () => {
    while (pendingSheetBytes(sheet) > maxPendingSheetBytes && !out.destroyed)
      await new Promise((resolve) => setTimeout(resolve, 1));
    while (out.writableNeedDrain && !out.destroyed)
      await new Promise((resolve) => {
        out.once('drain', resolve);
        out.once('close', resolve);
      });
  };
  const feed = async () => {
    sheet.addRow([...exportColumns]).commit();
    let rows = 0;
    for await (const chunk of chunks) {
      // Line by line, without splitting the chunk into 10,000 strings at once.
      for (let start = 0; start < chunk.length;) {
        const end = chunk.indexOf('\n', start);
        const stop = end === -1 ? chunk.length : end;
        const line = chunk.slice(start, stop);
        start = stop + 1;
        if (!line) continue;
        sheet
          .addRow(cellsOf(JSON.parse(line) as ExportRecord).map((cell) => xlsxCell(neutralizeFormula(cell))))
          .commit();
        if (++rows % rowsPerCheck === 0) await drained();
        if (out.destroyed) return;
      }
    }
    sheet.commit();
    await workbook.commit();
  };
  feed().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}
