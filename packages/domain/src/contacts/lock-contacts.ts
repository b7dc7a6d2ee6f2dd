import type { EntityManager } from '../db/database.ts';
import { textArray } from '../db/sql-values.ts';

/**
 * Locks contact rows in id order (one order everywhere, so two transactions never wait on each
 * other in a cycle) and returns the ids that exist in the workspace. Every change to a contact's
 * tags or to which sessions link to it holds these locks.
 */
export async function lockContacts(em: EntityManager, workspaceId: number, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await em.execute<{ id: string }[]>(
    'select id from contact where workspace_id = ? and id = any(?::text[]) order by id for update',
    [workspaceId, textArray([...new Set(ids)])],
  );
  return rows.map((row) => row.id);
}
