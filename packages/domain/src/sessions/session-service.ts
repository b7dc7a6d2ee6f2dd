import { idPrefixes } from '@tagging/contracts';
import type {
  CreateSessionInput,
  ListSessionsInput,
  Session,
  SessionPage,
  UpdateSessionInput,
} from '@tagging/contracts';
import type { EntityManager } from '../db/database.ts';
import { conflictOnUnique } from '../db/constraint-errors.ts';
import { setClause } from '../db/sql-values.ts';
import { inTransaction } from '../db/transaction.ts';
import { DomainError, notFound } from '../errors.ts';
import { newId } from '../ids.ts';
import { toSession, type SessionRow } from '../contacts/contact-rows.ts';
import { recomputeInheritedTags } from '../inheritance/recompute-inherited-tags.ts';
import { lockContacts, lockSession, lockTagsOfEntities } from '../entity-tags/entity-locks.ts';
import { deleteRowsOfSession } from '../entity-tags/entity-tag-store.ts';
import { ownTagsOf, recordEvents, untaggedEvent } from '../events/event-outbox.ts';
import { filteredRecordPage } from '../filters/filtered-record-page.ts';

const rethrowDuplicate = <T>(work: () => Promise<T>, externalId: string | null | undefined) =>
  conflictOnUnique(
    'session_external_id_uq',
    () => new DomainError('CONFLICT', `a session with externalId "${externalId ?? ''}" already exists`),
    work,
  );

/** Creates a session, linked to a contact of the workspace if one is given; it inherits its tags. */
export function createSession(em: EntityManager, workspaceId: number, input: CreateSessionInput): Promise<Session> {
  return inTransaction(em, (em) =>
    rethrowDuplicate(async () => {
      const contactId = input.contactId ?? null;
      if (contactId !== null) {
        const found = await lockContacts(em, workspaceId, [contactId]);
        if (found.length === 0) throw notFound('contact', contactId);
      }
      const [row] = await em.execute<SessionRow[]>(
        `insert into session (workspace_id, id, name, contact_id, external_id, metadata)
         values (?, ?, ?, ?, ?, ?::jsonb) returning *`,
        [
          workspaceId,
          newId(idPrefixes.session),
          input.name ?? '',
          contactId,
          input.externalId ?? null,
          JSON.stringify(input.metadata ?? {}),
        ],
      );
      if (!row) throw new Error('insert returned no row');
      await recomputeInheritedTags(em, workspaceId, [row.id]);
      return toSession(row);
    }, input.externalId),
  );
}

export async function getSession(em: EntityManager, workspaceId: number, id: string): Promise<Session> {
  const [row] = await em.execute<SessionRow[]>('select * from session where workspace_id = ? and id = ?', [
    workspaceId,
    id,
  ]);
  if (!row) throw notFound('session', id);
  return toSession(row);
}

/** Sessions in creation order, optionally of one contact, filtered by tags (inherited count). */
export async function listSessions(
  em: EntityManager,
  workspaceId: number,
  input: ListSessionsInput,
): Promise<SessionPage> {
  const ofContact = input.contactId ? { where: ['r.contact_id = ?'], params: [input.contactId] } : undefined;
  const page = await filteredRecordPage<SessionRow>(em, 'session', workspaceId, input, ofContact);
  return { sessions: page.rows.map(toSession), nextCursor: page.nextCursor, total: page.total };
}

/**
 * Updates a session. Changing `contactId` relinks it (`null` unlinks) and recomputes its inherited
 * tags in the same transaction; both contacts are locked so that concurrent tagging of either
 * sees the session on one side of the move, never in between.
 */
export function updateSession(em: EntityManager, workspaceId: number, input: UpdateSessionInput): Promise<Session> {
  return inTransaction(em, (em) =>
    rethrowDuplicate(async () => {
      const current = await lockSession(em, workspaceId, input.id);
      const relink = input.contactId !== undefined && input.contactId !== current.contactId;
      if (relink) {
        const wanted = [current.contactId, input.contactId].filter((id): id is string => typeof id === 'string');
        const locked = await lockContacts(em, workspaceId, wanted);
        if (input.contactId && !locked.includes(input.contactId)) throw notFound('contact', input.contactId);
      }
      const changes: [string, unknown][] = [];
      if (input.name !== undefined) changes.push(['name = ?', input.name]);
      if (input.externalId !== undefined) changes.push(['external_id = ?', input.externalId]);
      if (input.metadata !== undefined) changes.push(['metadata = ?::jsonb', JSON.stringify(input.metadata)]);
      if (relink) changes.push(['contact_id = ?', input.contactId]);
      const set = setClause(changes);
      const [row] = await em.execute<SessionRow[]>(
        `update session set ${set.sql} where workspace_id = ? and id = ? returning *`,
        [...set.params, workspaceId, input.id],
      );
      if (!row) throw notFound('session', input.id);
      if (relink) await recomputeInheritedTags(em, workspaceId, [row.id]);
      return toSession(row);
    }, input.externalId),
  );
}

/**
 * Deletes a session and its tag rows. It holds its contact's lock too, as every change to which
 * sessions link to a contact does: otherwise a propagation of the contact that read the session
 * before the delete committed would give the deleted session a row.
 */
export function deleteSession(em: EntityManager, workspaceId: number, id: string): Promise<void> {
  return inTransaction(em, async (em) => {
    const { contactId } = await lockSession(em, workspaceId, id);
    if (contactId !== null) await lockContacts(em, workspaceId, [contactId]);
    await lockTagsOfEntities(em, workspaceId, 'session', [id]);
    const own = await ownTagsOf(em, workspaceId, 'session', [id]);
    await recordEvents(
      em,
      workspaceId,
      own.map((row) => untaggedEvent('session', id, row.tag_id, { reason: 'deleted' })),
    );
    await deleteRowsOfSession(em, workspaceId, id);
    await em.execute('delete from session where workspace_id = ? and id = ?', [workspaceId, id]);
  });
}
