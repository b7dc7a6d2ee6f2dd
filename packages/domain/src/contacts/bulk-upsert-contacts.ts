import {
  idPrefixes,
  type BulkItemError,
  type BulkUpsertContactsInput,
  type BulkUpsertResult,
} from '@tagging/contracts';
import type { EntityManager } from '../db/database.ts';
import { assertBulkSize, firstOccurrences } from '../db/bulk-items.ts';
import { inTransaction } from '../db/transaction.ts';
import { newId } from '../ids.ts';
import { textArray } from '../db/sql-values.ts';
import type { PlainResult } from '../plain-result.ts';

// Rows travel as one JSON parameter read by jsonb_to_recordset: MikroORM inlines array
// parameters and renders their null elements as nothing (`array['a', ]`).

/**
 * Creates contacts, or updates those whose external id already exists (fields left out keep their
 * value), in one statement whatever the batch size. Running the same request twice leaves the
 * same state.
 */
export function bulkUpsertContacts(
  em: EntityManager,
  workspaceId: number,
  input: BulkUpsertContactsInput,
): Promise<PlainResult<BulkUpsertResult>> {
  assertBulkSize(input.contacts.length);
  return inTransaction(em, async (em) => {
    const errors: BulkItemError[] = [];
    const applied = firstOccurrences(input.contacts, errors);
    const items = applied.map((index) => input.contacts[index] ?? {});
    const proposedIds = items.map(() => newId(idPrefixes.contact));
    // The contacts that exist are locked first (by id: the global order), so a delete running
    // now ends before the insert reads them, or waits for it. A contact deleted meanwhile is
    // then created anew, under a new id: the insert never reuses a freed id (session 24: one
    // taken from a stale read came back to life, or hit the primary key as a 500).
    const externalIds = items.flatMap((item) => (item.externalId === undefined ? [] : [item.externalId]));
    if (externalIds.length > 0)
      await em.execute(
        `select id from contact where workspace_id = ? and external_id = any(?::text[]) order by id for no key update`,
        [workspaceId, textArray(externalIds)],
      );
    const rows = await em.execute<UpsertedRow[]>(
      `insert into contact (workspace_id, id, name, external_id, metadata)
       select ?, t.id, coalesce(t.name, c.name, ''), t.external_id, coalesce(t.metadata, c.metadata, '{}')
       from jsonb_to_recordset(?::jsonb) as t(id text, name text, external_id text, metadata jsonb)
       left join contact c on c.workspace_id = ? and c.external_id = t.external_id
       -- Rows are written (and their conflicts locked) in one order, so that two upserts of
       -- overlapping contacts wait for each other instead of deadlocking.
       order by t.external_id
       on conflict (workspace_id, external_id) do update
         set name = excluded.name, metadata = excluded.metadata, updated_at = now()
       returning id, external_id, (xmax = 0) as inserted`,
      [
        workspaceId,
        JSON.stringify(
          items.map((item, position) => ({
            id: proposedIds[position],
            name: item.name ?? null,
            external_id: item.externalId ?? null,
            metadata: item.metadata ?? null,
          })),
        ),
        workspaceId,
      ],
    );
    return upsertResult(input.contacts.length, applied, items, proposedIds, rows, errors);
  });
}

export type UpsertedRow = { id: string; external_id: string | null; inserted: boolean };

/** Maps returned rows back to request positions: by external id, else by the id proposed for it. */
export function upsertResult(
  total: number,
  applied: number[],
  items: { externalId?: string | undefined }[],
  proposedIds: string[],
  rows: UpsertedRow[],
  errors: BulkItemError[],
): PlainResult<BulkUpsertResult> {
  const byExternalId = new Map(rows.filter((row) => row.external_id !== null).map((row) => [row.external_id, row.id]));
  const returned = new Set(rows.map((row) => row.id));
  const ids: (string | null)[] = Array.from({ length: total }, () => null);
  applied.forEach((index, position) => {
    const externalId = items[position]?.externalId;
    const proposed = proposedIds[position] ?? '';
    ids[index] =
      externalId === undefined ? (returned.has(proposed) ? proposed : null) : (byExternalId.get(externalId) ?? null);
  });
  const created = rows.filter((row) => row.inserted).length;
  return {
    created,
    updated: rows.length - created,
    ids,
    errors: errors.sort((a, b) => a.index - b.index),
  };
}
