import { idPrefixes } from '@tagging/contracts';
import type {
  Contact,
  ContactPage,
  CreateContactInput,
  ListContactsInput,
  UpdateContactInput,
} from '@tagging/contracts';
import type { EntityManager } from '../db/database.ts';
import { conflictOnUnique } from '../db/constraint-errors.ts';
import { setClause } from '../db/sql-values.ts';
import { inTransaction } from '../db/transaction.ts';
import { DomainError, notFound } from '../errors.ts';
import { lockSessionsOfContactThenContact, lockTagsOfEntities } from '../entity-tags/entity-locks.ts';
import { deleteRowsOfContact } from '../entity-tags/entity-tag-store.ts';
import { contactDeletedEvents, recordEvents } from '../events/event-outbox.ts';
import { newId } from '../ids.ts';
import { toContact, type RecordRow } from './contact-rows.ts';
import { filteredRecordPage } from '../filters/filtered-record-page.ts';

const duplicateExternalId = (externalId: string | null | undefined) =>
  new DomainError('CONFLICT', `a contact with externalId "${externalId ?? ''}" already exists`);

const rethrowDuplicate = <T>(work: () => Promise<T>, externalId: string | null | undefined) =>
  conflictOnUnique('contact_external_id_uq', () => duplicateExternalId(externalId), work);

export function createContact(em: EntityManager, workspaceId: number, input: CreateContactInput): Promise<Contact> {
  return rethrowDuplicate(async () => {
    const [row] = await em.execute<RecordRow[]>(
      `insert into contact (workspace_id, id, name, external_id, metadata) values (?, ?, ?, ?, ?::jsonb) returning *`,
      [
        workspaceId,
        newId(idPrefixes.contact),
        input.name ?? '',
        input.externalId ?? null,
        JSON.stringify(input.metadata ?? {}),
      ],
    );
    if (!row) throw new Error('insert returned no row');
    return toContact(row);
  }, input.externalId);
}

export async function getContact(em: EntityManager, workspaceId: number, id: string): Promise<Contact> {
  const [row] = await em.execute<RecordRow[]>('select * from contact where workspace_id = ? and id = ?', [
    workspaceId,
    id,
  ]);
  if (!row) throw notFound('contact', id);
  return toContact(row);
}

/** Contacts in creation order, one keyset page at a time, filtered by tags, with a total. */
export async function listContacts(
  em: EntityManager,
  workspaceId: number,
  input: ListContactsInput,
): Promise<ContactPage> {
  const page = await filteredRecordPage<RecordRow>(em, 'contact', workspaceId, input);
  return { contacts: page.rows.map(toContact), nextCursor: page.nextCursor, total: page.total };
}

export function updateContact(em: EntityManager, workspaceId: number, input: UpdateContactInput): Promise<Contact> {
  const changes: [string, unknown][] = [];
  if (input.name !== undefined) changes.push(['name = ?', input.name]);
  if (input.externalId !== undefined) changes.push(['external_id = ?', input.externalId]);
  if (input.metadata !== undefined) changes.push(['metadata = ?::jsonb', JSON.stringify(input.metadata)]);
  const set = setClause(changes);
  return rethrowDuplicate(async () => {
    const [row] = await em.execute<RecordRow[]>(
      `update contact set ${set.sql} where workspace_id = ? and id = ? returning *`,
      [...set.params, workspaceId, input.id],
    );
    if (!row) throw notFound('contact', input.id);
    return toContact(row);
  }, input.externalId);
}

/**
 * Deletes a contact: its tag rows and the rows its sessions inherited from it go; its sessions
 * stay, unlinked. Locks its sessions, then the contact (the global lock order), so concurrent
 * tagging or relinking waits.
 */
export function deleteContact(em: EntityManager, workspaceId: number, id: string): Promise<void> {
  return inTransaction(em, async (em) => {
    await lockSessionsOfContactThenContact(em, workspaceId, id);
    // Its sessions' inherited rows are of the contact's own tags.
    await lockTagsOfEntities(em, workspaceId, 'contact', [id]);
    await recordEvents(em, workspaceId, await contactDeletedEvents(em, workspaceId, id));
    await deleteRowsOfContact(em, workspaceId, id);
    await em.execute(
      'update session set contact_id = null, updated_at = now() where workspace_id = ? and contact_id = ?',
      [workspaceId, id],
    );
    await em.execute('delete from contact where workspace_id = ? and id = ?', [workspaceId, id]);
  });
}
