import type pg from 'pg';
import { hotStatements, textArray } from '@tagging/domain';

type Row = Record<string, unknown>;

/** What the floor's tagging of a contact came to: the row and its propagation, or why not. */
export type FloorContactTagging =
  | { outcome: 'tagged'; row: Row; propagatedToSessions: number }
  | { outcome: 'contact not found' | 'tag not found' | 'already applied' };

/**
 * The floor's tagging of a contact on one pooled client (begin, the service's `hotStatements` as
 * named prepared statements, commit; rolled back when a check fails or a statement throws): the
 * eight round trips the service makes for the same request, with nothing around them. Shared by
 * the floor server's route (`floor-server.ts`) and the bare side of `transaction-cpu.ts`.
 */
export async function tagContactOnClient(
  client: pg.PoolClient,
  workspaceId: number,
  keyId: string,
  contactId: string,
  tagId: string,
): Promise<FloorContactTagging> {
  const run = (name: keyof typeof hotStatements, values: unknown[]) =>
    client.query<Row>({ name, text: hotStatements[name], values });
  const refuse = async (outcome: Exclude<FloorContactTagging['outcome'], 'tagged'>) => {
    await client.query('rollback');
    return { outcome };
  };
  await client.query('begin');
  try {
    const contacts = await run('lockContacts', [workspaceId, textArray([contactId])]);
    if (contacts.rows.length === 0) return await refuse('contact not found');
    const tags = await run('lockTags', [workspaceId, textArray([tagId])]);
    if (tags.rows.length === 0) return await refuse('tag not found');
    const made = await run('makeDirect', [
      keyId,
      workspaceId,
      textArray(['contact']),
      textArray([contactId]),
      textArray([tagId]),
    ]);
    const row = made.rows[0];
    if (!row) return await refuse('already applied');
    // The service counts first (to decide on deferral above its limit), then propagates.
    await run('countSessionsUpTo', [workspaceId, contactId, 5001]);
    const propagated = await run('propagateFromContacts', [tagId, workspaceId, textArray([contactId])]);
    const propagatedToSessions = Number(propagated.rows[0]?.count ?? 0);
    // The change's event, as the service writes it (the outbox, issue 17).
    const payload = {
      entityType: 'contact',
      entityId: contactId,
      tagId,
      sourceType: 'direct',
      sourceEntityType: null,
      sourceEntityId: null,
      sessionsInherited: propagatedToSessions,
      propagationJobId: null,
    };
    await run('recordEvents', [workspaceId, textArray(['contact.tagged']), textArray([JSON.stringify(payload)])]);
    await client.query('commit');
    return { outcome: 'tagged', row, propagatedToSessions };
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
}
