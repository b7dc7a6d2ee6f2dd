import type { EntityManager } from '../db/database.ts';
import { toIso } from '../db/sql-values.ts';
import { createApiKey, type CreatedApiKey } from '../api-keys/api-key-service.ts';
import { inTransaction } from '../db/transaction.ts';

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

/** A workspace and its first API key, in one transaction. */
export function createWorkspaceWithKey(
  em: EntityManager,
  name: string,
  keySecret?: string,
): Promise<{ workspace: WorkspaceView; apiKey: CreatedApiKey }> {
  return inTransaction(em, async (em) => {
    const workspace = await createWorkspace(em, name);
    const apiKey = await createApiKey(em, workspace.id, {
      name: 'default',
      ...(keySecret ? { secret: keySecret } : {}),
    });
    return { workspace, apiKey };
  });
}

/**
 * The embedded database's first start gets a demo workspace and key, so the README's examples
 * work at once; `demoKey` fixes the key's value for scripted set-ups.
 */
export async function ensureDemoWorkspace(
  em: EntityManager,
  demoKey?: string,
): Promise<{ workspace: WorkspaceView; apiKey: CreatedApiKey } | undefined> {
  const [existing] = await em.execute('select 1 from workspace limit 1');
  if (existing) return undefined;
  return createWorkspaceWithKey(em, 'Demo', demoKey);
}
