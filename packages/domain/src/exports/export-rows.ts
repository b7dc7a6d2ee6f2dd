import type { ExportFormat } from '@tagging/contracts';
import { toIso } from '../db/sql-values.ts';

export type ExportContactRow = {
  id: string;
  name: string;
  external_id: string | null;
  created_at: unknown;
  tags: string[] | string | null;
};

/** The tag names come as `jsonb`: parsed by the drivers, or its text form. */
const tagNames = (value: ExportContactRow['tags']): string[] =>
  typeof value === 'string' ? (JSON.parse(value) as string[]) : (value ?? []);

const csvField = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

export const csvHeader = 'id,name,external_id,tags,created_at\n';

/** One batch of contacts as lines of the export file. */
export function formatExportRows(format: ExportFormat, rows: ExportContactRow[]): string {
  return rows
    .map((row) => {
      const tags = tagNames(row.tags);
      const createdAt = toIso(row.created_at);
      if (format === 'jsonl')
        return `${JSON.stringify({ id: row.id, name: row.name, externalId: row.external_id, tags, createdAt })}\n`;
      return `${[row.id, row.name, row.external_id ?? '', tags.join('; '), createdAt].map(csvField).join(',')}\n`;
    })
    .join('');
}
