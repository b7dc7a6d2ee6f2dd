import { DeadlockException } from '@mikro-orm/core';
import type { EntityManager } from '../db/database.ts';
import { executePrepared } from '../db/prepared-statements.ts';
import { textArray } from '../db/sql-values.ts';
import { notFound } from '../errors.ts';

/**
 * Every row lock the domain takes, in one place, so that the order is written once:
 *
 * 1. sessions (`for update`), in id order;
 * 2. then contacts (`for update`), in id order;
 * 3. then entity tag rows, implicitly, by the statements of `entity-tag-store.ts`.
 *
 * Tags are held `for key share` by every writer of their entity tag rows, after the entity
 * locks, including a writer that deletes rows of tags it was not given (deleting an entity:
 * `lockTagsOfEntities`): it keeps the tag from being deleted or merged away meanwhile (renames
 * still go), and key-share locks never conflict with each other. Only the tag's own update,
 * delete, bulk patch and merge take tags `for update`, in id order (a merge its target with the
 * merged tags, in one pass), and they take no entity lock before them. Session 24 found the two
 * exceptions this paragraph now excludes (bulk tagging took its tag before the entities; a merge
 * its target before the merged tags): each met the others in cycles under load.
 *
 * Every change to a contact's tags, or to which sessions link to it, holds that contact's lock,
 * so propagation and relinking never interleave. A transaction that follows this order never
 * waits in a cycle with another that does; the rare residue (relinks, deletes and upserts that
 * learn of a row to lock only after locking others) is retried by `db/transaction.ts`.
 *
 * Id lists are passed as one `text[]` parameter (`= any(?::text[])`, see `textArray`). Queue
 * claims (`for update skip locked` on propagation jobs and exports) are not row locks of this
 * order; they live with their queues.
 */

// ---- sessions ------------------------------------------------------------------------------

/** Locks one session; its contact (null when unlinked). Not found: `NOT_FOUND`. */
export async function lockSession(
  em: EntityManager,
  workspaceId: number,
  sessionId: string,
): Promise<{ contactId: string | null }> {
  const [row] = await executePrepared<{ contact_id: string | null }>(
    em,
    'lock_session',
    'select contact_id from session where workspace_id = ? and id = ? for update',
    [workspaceId, sessionId],
  );
  if (!row) throw notFound('session', sessionId);
  return { contactId: row.contact_id };
}

export type LockedSession = { id: string; contact_id: string | null };

/** `lockSessions`' statement (parameters: workspace id, session ids). */
export const lockSessionsSql =
  'select id, contact_id from session where workspace_id = ? and id = any(?::text[]) order by id for update';

/** Locks the listed sessions that exist, in id order; each with its contact. */
export async function lockSessions(
  em: EntityManager,
  workspaceId: number,
  ids: readonly string[],
): Promise<LockedSession[]> {
  if (ids.length === 0) return [];
  return executePrepared<LockedSession>(em, 'lock_sessions', lockSessionsSql, [
    workspaceId,
    textArray([...new Set(ids)]),
  ]);
}

/** Locks the sessions that have these external ids, in id order; each with its contact. */
export async function lockSessionsByExternalId(
  em: EntityManager,
  workspaceId: number,
  externalIds: readonly string[],
): Promise<LockedSession[]> {
  if (externalIds.length === 0) return [];
  return em.execute<LockedSession[]>(
    'select id, contact_id from session where workspace_id = ? and external_id = any(?::text[]) order by id for update',
    [workspaceId, textArray([...new Set(externalIds)])],
  );
}

/**
 * Locks every session linked to the contact, in id order, then the contact (`lockContact`: not
 * found is NOT_FOUND). A session linked to it between the two (its relink committed meanwhile)
 * is not locked, and taking it after the contact would reverse the order: a relink moving it
 * away holds it and waits for the contact. So the transaction starts again at once, as after a
 * deadlock (`retryingDeadlocks`), where the cycle cost `deadlock_timeout` (1 s) to be found
 * (second attack of session 24). Once the contact is locked, no session can be linked to it.
 */
export async function lockSessionsOfContactThenContact(
  em: EntityManager,
  workspaceId: number,
  contactId: string,
): Promise<void> {
  const sessionsOf = async (lock: '' | ' for update') =>
    (
      await em.execute<{ id: string }[]>(
        `select id from session where workspace_id = ? and contact_id = ? order by id${lock}`,
        [workspaceId, contactId],
      )
    ).map((row) => row.id);
  const locked = new Set(await sessionsOf(' for update'));
  await lockContact(em, workspaceId, contactId);
  if ((await sessionsOf('')).some((id) => !locked.has(id)))
    throw new DeadlockException(
      new Error(`a session was linked to contact ${contactId} while its sessions were locked`),
    );
}

/**
 * The session lock as a CTE body (`with s as (…)`, parameters: workspace id, session id), for
 * the one statement that locks and writes at once (tagging a session alone, see
 * `makeSessionTagDirect` in the store): the same lock, first, as above.
 */
export const sessionLockCte = 'select workspace_id, id from session where workspace_id = ? and id = ? for update';

// ---- contacts ------------------------------------------------------------------------------

/** Locks one contact. Not found: `NOT_FOUND`. */
export async function lockContact(em: EntityManager, workspaceId: number, contactId: string): Promise<void> {
  if ((await lockContacts(em, workspaceId, [contactId])).length === 0) throw notFound('contact', contactId);
}

/** `lockContacts`' statement (parameters: workspace id, contact ids). */
export const lockContactsSql =
  'select id from contact where workspace_id = ? and id = any(?::text[]) order by id for update';

/** Locks the listed contacts that exist, in id order; returns their ids. */
export async function lockContacts(em: EntityManager, workspaceId: number, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await executePrepared<{ id: string }>(em, 'lock_contacts', lockContactsSql, [
    workspaceId,
    textArray([...new Set(ids)]),
  ]);
  return rows.map((row) => row.id);
}

// ---- tags ----------------------------------------------------------------------------------

/** Key-share locks the tag, which must exist in the workspace (`NOT_FOUND` otherwise). */
export async function lockTag(em: EntityManager, workspaceId: number, tagId: string): Promise<void> {
  if (!(await lockTagIfExists(em, workspaceId, tagId))) throw notFound('tag', tagId);
}

/** The same lock; false when the tag does not exist (or a delete of it has just committed). */
export async function lockTagIfExists(em: EntityManager, workspaceId: number, tagId: string): Promise<boolean> {
  return (await lockTags(em, workspaceId, [tagId])).length > 0;
}

/** `lockTags`' statement (parameters: workspace id, tag ids). */
export const lockTagsSql =
  'select id from tag where workspace_id = ? and id = any(?::text[]) order by id for key share';

/** Key-share locks the listed tags that exist, in id order; returns their ids. */
export async function lockTags(em: EntityManager, workspaceId: number, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await executePrepared<{ id: string }>(em, 'lock_tags', lockTagsSql, [
    workspaceId,
    textArray([...new Set(ids)]),
  ]);
  return rows.map((row) => row.id);
}

/**
 * Key-share locks every tag the contacts of these sessions have: the tags a recompute copies.
 * A tag whose delete commits meanwhile is skipped, and gone from the contact's rows when the
 * copy reads them; copying it from an older snapshot would break the tag foreign key.
 */
export async function lockTagsOfSessionContacts(
  em: EntityManager,
  workspaceId: number,
  sessionIds: readonly string[],
): Promise<void> {
  await tagsOfSessionContacts(em, workspaceId, sessionIds, 'order by t.id for key share of t');
}

/**
 * The same tags unlocked, to be locked in one pass with others (`lockTagsOfEntities`' `alsoTagIds`);
 * `lockTagsOfSessionContacts` afterwards locks only those that appeared meanwhile.
 */
export async function tagIdsOfSessionContacts(
  em: EntityManager,
  workspaceId: number,
  sessionIds: readonly string[],
): Promise<string[]> {
  return tagsOfSessionContacts(em, workspaceId, sessionIds, '');
}

async function tagsOfSessionContacts(
  em: EntityManager,
  workspaceId: number,
  sessionIds: readonly string[],
  lock: string,
): Promise<string[]> {
  if (sessionIds.length === 0) return [];
  const rows = await em.execute<{ id: string }[]>(
    `select t.id from tag t
     where t.workspace_id = ? and t.id in (
       select ct.tag_id from session s
       join entity_tag ct on ct.workspace_id = s.workspace_id and ct.entity_type = 'contact' and ct.entity_id = s.contact_id
       where s.workspace_id = ? and s.id = any(?::text[]))
     ${lock}`,
    [workspaceId, workspaceId, textArray(sessionIds)],
  );
  return rows.map((row) => row.id);
}

/**
 * Key-share locks every tag the entities have a row of, after the entities' own locks: for a
 * writer that deletes or rewrites rows of tags it was not given (deleting an entity, replacing a
 * session's tags, recomputing what a session inherits), so that it too holds the tags of the rows
 * it writes. A tag merge holds its merged tags `for update` while it moves their rows to its
 * target; without this, a session deleted meanwhile lost its old rows while the merge wrote the
 * new ones, which stayed (attack finding, session 9). Waiting here for the merge and reading
 * again, the writer sees the moved rows. Read again until no new tag appears (a tag merged away
 * meanwhile is skipped, its target found on the next read). Returns the ids of the tags locked
 * (those that exist), `alsoTagIds`' among them.
 */
export async function lockTagsOfEntities(
  em: EntityManager,
  workspaceId: number,
  entityType: 'contact' | 'session',
  ids: readonly string[],
  alsoTagIds: readonly string[] = [],
): Promise<string[]> {
  const locked = new Set<string>();
  const found = new Set<string>();
  // `alsoTagIds` (tags the caller needs too) go in the first pass with the entities' tags: one
  // pass in id order, where two passes (each in order) met a bulk patch of both sets in a cycle
  // (second attack of session 24). The later passes lock only what appeared meanwhile.
  let extra = [...alsoTagIds];
  for (;;) {
    const rows =
      ids.length === 0
        ? []
        : await em.execute<{ tag_id: string }[]>(
            'select distinct tag_id from entity_tag where workspace_id = ? and entity_type = ? and entity_id = any(?::text[])',
            [workspaceId, entityType, textArray([...new Set(ids)])],
          );
    const fresh = [...new Set([...extra, ...rows.map((row) => row.tag_id)])].filter((id) => !locked.has(id));
    extra = [];
    if (fresh.length === 0) return [...found];
    for (const id of await lockTags(em, workspaceId, fresh)) found.add(id);
    for (const id of fresh) locked.add(id);
  }
}

/** Locks the listed tags that exist for a change of the tags themselves, in id order; their ids. */
export async function lockTagsForUpdate(
  em: EntityManager,
  workspaceId: number,
  ids: readonly string[],
): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await em.execute<{ id: string }[]>(
    'select id from tag where workspace_id = ? and id = any(?::text[]) order by id for update',
    [workspaceId, textArray([...new Set(ids)])],
  );
  return rows.map((row) => row.id);
}

// ---- workspaces ----------------------------------------------------------------------------

/**
 * Makes the workspace-wide checks of one workspace take turns: tag creates (so that "new tags go
 * last" holds under concurrency) and export creates (so that two cannot both pass the export cap).
 * `no key update` does not block the key-share locks other tables' inserts take.
 */
export async function lockWorkspace(em: EntityManager, workspaceId: number): Promise<void> {
  await em.execute('select 1 from workspace where id = ? for no key update', [workspaceId]);
}
