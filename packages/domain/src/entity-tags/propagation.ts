import type { EntityManager } from '../db/database.ts';
import { executePrepared } from '../db/prepared-statements.ts';
import { textArray } from '../db/sql-values.ts';
import { tagRowExists } from './tag-row-probe.ts';

/**
 * The reads that decide whether a contact's tag reaches its sessions now or in a background job.
 * The writes themselves are in `entity-tag-store.ts`.
 */

/** `countSessionsUpTo`'s statement (parameters: workspace id, contact id, limit + 1). */
export const countSessionsUpToSql =
  'select count(*)::int as count from (select 1 from session where workspace_id = ? and contact_id = ? limit ?) s';

/** How many sessions the contact has, counted up to `limit + 1` (enough to decide deferral). */
export async function countSessionsUpTo(
  em: EntityManager,
  workspaceId: number,
  contactId: string,
  limit: number,
): Promise<number> {
  const [row] = await executePrepared<{ count: number }>(em, 'count_sessions_up_to', countSessionsUpToSql, [
    workspaceId,
    contactId,
    limit + 1,
  ]);
  return row?.count ?? 0;
}

/** How many inherited rows of the tag the contact gave its sessions, up to `limit + 1`. */
export async function countInheritedUpTo(
  em: EntityManager,
  workspaceId: number,
  contactId: string,
  tagId: string,
  limit: number,
): Promise<number> {
  const [row] = await em.execute<{ count: number }[]>(
    `select count(*)::int as count from (
       select 1 from entity_tag
       where workspace_id = ? and source_entity_type = 'contact' and source_entity_id = ? and tag_id = ?
         and entity_type = 'session' and source_type = 'inherited'
       limit ?) s`,
    [workspaceId, contactId, tagId, limit + 1],
  );
  return row?.count ?? 0;
}

/**
 * Whether the contact has the tag now (any source). Read in a statement of its own after the
 * contact's lock: a locking select that had to wait returns the locked row's newest version but
 * reads everything else from the snapshot it took before waiting.
 */
export async function contactHasTag(
  em: EntityManager,
  workspaceId: number,
  contactId: string,
  tagId: string,
): Promise<boolean> {
  const [row] = await em.execute<{ has_tag: boolean }[]>(
    `select ${tagRowExists(
      (c) => `${c}.workspace_id = ? and ${c}.entity_type = 'contact' and ${c}.entity_id = ? and ${c}.tag_id = ?`,
    )} as has_tag`,
    [workspaceId, contactId, tagId, workspaceId, contactId, tagId],
  );
  return row?.has_tag ?? false;
}

/**
 * Per contact, how many of its sessions hold the tag inherited from it (one grouped count for
 * all of them); the change events of a bulk report it. Contacts without any are absent.
 */
export async function countInheritingSessions(
  em: EntityManager,
  workspaceId: number,
  contactIds: readonly string[],
  tagId: string,
): Promise<Map<string, number>> {
  const rows = await em.execute<{ contact_id: string; count: number }[]>(
    `select source_entity_id as contact_id, count(*)::int as count from entity_tag
     where workspace_id = ? and source_entity_type = 'contact' and source_entity_id = any(?::text[]) and tag_id = ?
       and entity_type = 'session' and source_type = 'inherited'
     group by source_entity_id`,
    [workspaceId, textArray(contactIds), tagId],
  );
  return new Map(rows.map((row) => [row.contact_id, row.count]));
}
