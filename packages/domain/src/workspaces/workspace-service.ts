import type { EntityManager } from '../db/database.ts';
import { notFound } from '../errors.ts';
import { toIso } from '../db/sql-values.ts';

export type WorkspaceView = { id: number; name: string; createdAt: string };

type WorkspaceRow = { id: number; name: string; created_at: unknown };
const toWorkspace = (row: WorkspaceRow): WorkspaceView => ({
  id: row.id,
  name: row.name,
  createdAt: toIso(row.created_at),
});

export async function createWorkspace(em: EntityManager, name: string): Promise<WorkspaceView> {
  const [row] = await em.execute<WorkspaceRow[]>('insert into workspace (name) values (?) returning *', [name]);
  if (!row) throw new Error('insert returned no row');
  return toWorkspace(row);
}

export async function getWorkspace(em: EntityManager, id: number): Promise<WorkspaceView> {
  const [row] = await em.execute<WorkspaceRow[]>('select * from workspace where id = ?', [id]);
  if (!row) throw notFound('workspace', id);
  return toWorkspace(row);
}

export async function workspaceExists(em: EntityManager, id: number): Promise<boolean> {
  const rows = await em.execute('select 1 from workspace where id = ?', [id]);
  return rows.length > 0;
}

/** The embedded database's first start gets a demo workspace, so the README's examples work. */
export async function ensureDemoWorkspace(em: EntityManager): Promise<WorkspaceView | undefined> {
  const [existing] = await em.execute('select 1 from workspace limit 1');
  if (existing) return undefined;
  return createWorkspace(em, 'Demo');
}
