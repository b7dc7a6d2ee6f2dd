import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { cellsOf, exportColumns, neutralizeFormula, type ExportRecord } from './export-rows.ts';

/**
 * How much of the sheet exceljs may hold that the zip writer has not taken yet: buffers of
 * 64 KiB in exceljs' `StreamBuf`. Past it, feeding waits for the download to drain them, so
 * memory stays bounded whatever the export's size or the client's speed.
 */
const maxPendingSheetBuffers = 32;

/** The parts of exceljs' sheet writer read for backpressure (internal; absent means "no wait"). */
type SheetInternals = { stream?: { buffers?: unknown[] } };

const pendingSheetBuffers = (sheet: unknown): number => (sheet as SheetInternals).stream?.buffers?.length ?? 0;

/**
 * The xlsx workbook of an export, streamed: exceljs' streaming `WorkbookWriter` (no shared
 * strings, no styles: every cell an inline string, rows committed as written), fed from the
 * export's stored JSON lines (`formatExportRows`), one chunk at a time. Every cell is
 * formula-neutralized like the CSV's (`neutralizeFormula`), the tags cell is the JSON array of
 * exact names (`tagsCell`). One sheet, "Contacts", with the CSV's header row.
 */
export function xlsxFile(chunks: AsyncIterable<string>): AsyncIterable<Buffer> {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet('Contacts');
  const feed = async () => {
    sheet.addRow([...exportColumns]).commit();
    for await (const chunk of chunks) {
      for (const line of chunk.split('\n')) {
        if (!line) continue;
        sheet.addRow(cellsOf(JSON.parse(line) as ExportRecord).map(neutralizeFormula)).commit();
      }
      while (pendingSheetBuffers(sheet) > maxPendingSheetBuffers && !out.destroyed)
        await new Promise((resolve) => setTimeout(resolve, 5));
      // A slow client: wait until it has taken what is queued for it.
      while (out.writableNeedDrain && !out.destroyed)
        await new Promise((resolve) => {
          out.once('drain', resolve);
          out.once('close', resolve);
        });
      if (out.destroyed) return;
    }
    sheet.commit();
    await workbook.commit();
  };
  feed().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}
