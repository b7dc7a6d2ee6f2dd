import type { EntityManager } from '../db/database.ts';
import { notFound } from '../errors.ts';

/**
 * Row locks, always taken in one order: sessions before contacts, each in id order. Every change
 * to a contact's tags, or to which sessions link to it, holds that contact's lock, so
 * propagation and relinking never interleave.
 */
export async function lockSession(
  em: EntityManager,
  workspaceId: number,
  sessionId: string,
): Promise<{ contactId: string | null }> {
  const [row] = await em.execute<{ contact_id: string | null }[]>(
    'select contact_id from session where workspace_id = ? and id = ? for update',
    [workspaceId, sessionId],
  );
  if (!row) throw notFound('session', sessionId);
  return { contactId: row.contact_id };
}

export async function lockContact(em: EntityManager, workspaceId: number, contactId: string): Promise<void> {
  const rows = await em.execute('select 1 from contact where workspace_id = ? and id = ? for update', [
    workspaceId,
    contactId,
  ]);
  if (rows.length === 0) throw notFound('contact', contactId);
}

/** The tag must exist in the workspace; `for key share` keeps it from being deleted meanwhile (renames still go). */
export async function lockTag(em: EntityManager, workspaceId: number, tagId: string): Promise<void> {
  if (!(await lockTagIfExists(em, workspaceId, tagId))) throw notFound('tag', tagId);
}

/** The same lock; false when the tag does not exist (or a delete of it has just committed). */
export async function lockTagIfExists(em: EntityManager, workspaceId: number, tagId: string): Promise<boolean> {
  const rows = await em.execute('select 1 from tag where workspace_id = ? and id = ? for key share', [
    workspaceId,
    tagId,
  ]);
  return rows.length > 0;
}
