import type { EntityManager } from '../db/database.ts';
import { sqlNewId } from '../db/sql-ids.ts';
import { textArray } from '../db/sql-values.ts';

/**
 * Contact → sessions propagation, set-based: one statement for any number of sessions. Callers
 * hold the contact's lock.
 */

/**
 * Gives the sessions of the contacts that lack the tag an inherited row (one statement for any
 * number of contacts and sessions); returns how many gained it.
 */
export async function propagateContactsTag(
  em: EntityManager,
  workspaceId: number,
  contactIds: readonly string[],
  tagId: string,
): Promise<number> {
  if (contactIds.length === 0) return 0;
  const [row] = await em.execute<{ count: number }[]>(
    `with made as (
       insert into entity_tag (workspace_id, id, entity_type, entity_id, tag_id, source_type, source_entity_type, source_entity_id)
       select s.workspace_id, ${sqlNewId('etag')}, 'session', s.id, ?, 'inherited', 'contact', s.contact_id
       from session s
       where s.workspace_id = ? and s.contact_id = any(?::text[])
       on conflict (workspace_id, entity_type, entity_id, tag_id) do nothing
       returning 1)
     select count(*)::int as count from made`,
    [tagId, workspaceId, textArray(contactIds)],
  );
  return row?.count ?? 0;
}

/** The same for one batch of the contact's sessions after `afterSessionId`, in id order. */
export async function propagateContactTagBatch(
  em: EntityManager,
  workspaceId: number,
  contactId: string,
  tagId: string,
  afterSessionId: string | null,
  batchSize: number,
): Promise<{ examined: number; added: number; lastSessionId: string | null }> {
  const [row] = await em.execute<{ examined: number; added: number; last_session_id: string | null }[]>(
    `with batch as (
       select s.workspace_id, s.id, s.contact_id from session s
       where s.workspace_id = ? and s.contact_id = ? and s.id > ?
       order by s.id limit ?),
     made as (
       insert into entity_tag (workspace_id, id, entity_type, entity_id, tag_id, source_type, source_entity_type, source_entity_id)
       select b.workspace_id, ${sqlNewId('etag')}, 'session', b.id, ?, 'inherited', 'contact', b.contact_id from batch b
       on conflict (workspace_id, entity_type, entity_id, tag_id) do nothing
       returning 1)
     select (select count(*) from batch)::int as examined, (select count(*) from made)::int as added,
            (select max(id) from batch) as last_session_id`,
    [workspaceId, contactId, afterSessionId ?? '', batchSize, tagId],
  );
  return { examined: row?.examined ?? 0, added: row?.added ?? 0, lastSessionId: row?.last_session_id ?? null };
}

const inheritedFrom = `workspace_id = ? and source_entity_type = 'contact' and source_entity_id = any(?::text[])
  and tag_id = ? and entity_type = 'session' and source_type = 'inherited'`;

/** Removes the rows sessions inherited from the contacts for the tag: one plain delete. */
export async function unpropagateContactsTag(
  em: EntityManager,
  workspaceId: number,
  contactIds: readonly string[],
  tagId: string,
): Promise<number> {
  if (contactIds.length === 0) return 0;
  const [row] = await em.execute<{ count: number }[]>(
    `with gone as (delete from entity_tag where ${inheritedFrom} returning 1) select count(*)::int as count from gone`,
    [workspaceId, textArray(contactIds), tagId],
  );
  return row?.count ?? 0;
}

/** The same for one background batch of at most `limit` rows (picked by ctid in a subquery). */
export async function unpropagateContactTagBatch(
  em: EntityManager,
  workspaceId: number,
  contactId: string,
  tagId: string,
  limit: number,
): Promise<number> {
  const [row] = await em.execute<{ count: number }[]>(
    `with gone as (
       delete from entity_tag where ctid = any(array(select ctid from entity_tag where ${inheritedFrom} limit ?))
       returning 1)
     select count(*)::int as count from gone`,
    [workspaceId, textArray([contactId]), tagId, limit],
  );
  return row?.count ?? 0;
}

/** How many sessions the contact has, counted up to `limit + 1` (enough to decide deferral). */
export async function countSessionsUpTo(
  em: EntityManager,
  workspaceId: number,
  contactId: string,
  limit: number,
): Promise<number> {
  const [row] = await em.execute<{ count: number }[]>(
    'select count(*)::int as count from (select 1 from session where workspace_id = ? and contact_id = ? limit ?) s',
    [workspaceId, contactId, limit + 1],
  );
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
