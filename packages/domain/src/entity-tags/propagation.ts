import type { EntityManager } from '../db/database.ts';
import { sqlNewId } from '../db/sql-ids.ts';

/**
 * Contact → sessions propagation, set-based: one statement for any number of sessions. Callers
 * hold the contact's lock.
 */

/** Gives the contact's sessions that lack the tag an inherited row; returns how many gained it. */
export async function propagateContactTag(
  em: EntityManager,
  workspaceId: number,
  contactId: string,
  tagId: string,
): Promise<number> {
  const [row] = await em.execute<{ count: number }[]>(
    `with made as (
       insert into entity_tag (workspace_id, id, entity_type, entity_id, tag_id, source_type, source_entity_type, source_entity_id)
       select s.workspace_id, ${sqlNewId('etag')}, 'session', s.id, ?, 'inherited', 'contact', s.contact_id
       from session s
       where s.workspace_id = ? and s.contact_id = ?
       on conflict (workspace_id, entity_type, entity_id, tag_id) do nothing
       returning 1)
     select count(*)::int as count from made`,
    [tagId, workspaceId, contactId],
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

/**
 * Removes the rows sessions inherited from the contact for the tag (at most `limit`). Without a
 * limit it is one plain delete on `entity_tag_source_idx`; the limited form (background batches)
 * has to pick its rows in a subquery.
 */
export async function unpropagateContactTag(
  em: EntityManager,
  workspaceId: number,
  contactId: string,
  tagId: string,
  limit?: number,
): Promise<number> {
  const conditions = `workspace_id = ? and source_entity_type = 'contact' and source_entity_id = ?
         and tag_id = ? and entity_type = 'session' and source_type = 'inherited'`;
  const [row] = await em.execute<{ count: number }[]>(
    limit === undefined
      ? `with gone as (delete from entity_tag where ${conditions} returning 1) select count(*)::int as count from gone`
      : `with gone as (
           delete from entity_tag where ctid = any(array(select ctid from entity_tag where ${conditions} limit ?))
           returning 1)
         select count(*)::int as count from gone`,
    limit === undefined ? [workspaceId, contactId, tagId] : [workspaceId, contactId, tagId, limit],
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
