import type { Contact, Session } from '@tagging/contracts';
import { toIso } from '../db/sql-values.ts';

export type RecordRow = {
  workspace_id: number;
  id: string;
  name: string;
  external_id: string | null;
  metadata: unknown;
  created_at: unknown;
  updated_at: unknown;
};
export type SessionRow = RecordRow & { contact_id: string | null };

/** jsonb arrives parsed from the server driver and as text from some paths; accept both. */
const toMetadata = (value: unknown): Record<string, unknown> =>
  typeof value === 'string'
    ? (JSON.parse(value) as Record<string, unknown>)
    : ((value ?? {}) as Record<string, unknown>);

const toRecord = (row: RecordRow) => ({
  workspaceId: row.workspace_id,
  name: row.name,
  externalId: row.external_id,
  metadata: toMetadata(row.metadata),
  createdAt: toIso(row.created_at),
  updatedAt: toIso(row.updated_at),
});

export const toContact = (row: RecordRow): Contact => ({ id: row.id, ...toRecord(row) });
export const toSession = (row: SessionRow): Session => ({ id: row.id, contactId: row.contact_id, ...toRecord(row) });
