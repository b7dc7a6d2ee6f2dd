import type {
  ContactTagAssignmentInput,
  ContactTagAssignmentResult,
  TagContactInput,
  TagContactResult,
  UntagContactInput,
  UntagContactResult,
} from '@tagging/contracts';
import type { Actor } from '../actor.ts';
import type { EntityManager } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { DomainError } from '../errors.ts';
import { enqueuePropagation } from '../jobs/propagation-jobs.ts';
import { applyDirectTag } from './direct-tag.ts';
import { lockContact, lockTag } from './entity-locks.ts';
import { toEntityTag } from './entity-tag-rows.ts';
import { addDirectIfAbsent, deleteContactRows, propagateFromContacts, unpropagateBatch } from './entity-tag-store.ts';
import { countInheritedUpTo, countSessionsUpTo } from './propagation.ts';
import type { PropagationSettings } from './propagation-settings.ts';
import type { PlainResult } from '../plain-result.ts';
import { recordEvents, taggedEvent, untaggedEvent } from '../events/event-outbox.ts';

/** Follows a contact's new tag to its sessions now, or in a job above the fan-out limit. */
export async function fanOutContactTag(
  em: EntityManager,
  workspaceId: number,
  contactId: string,
  tagId: string,
  settings: PropagationSettings,
): Promise<Pick<PlainResult<TagContactResult>, 'propagatedToSessions' | 'deferred'>> {
  const sessions = await countSessionsUpTo(em, workspaceId, contactId, settings.syncFanOutLimit);
  if (sessions > settings.syncFanOutLimit) {
    const deferred = await enqueuePropagation(em, workspaceId, 'tag-contact', contactId, tagId, sessions);
    return { propagatedToSessions: 0, deferred };
  }
  return { propagatedToSessions: await propagateFromContacts(em, workspaceId, [contactId], tagId) };
}

/** The `contact.tagged` event of a direct tag, with what its sessions got now or the job that will. */
const contactTaggedEvent = (
  contactId: string,
  tagId: string,
  fanOut: { propagatedToSessions: number; deferred?: { jobId: string } | undefined },
) =>
  taggedEvent('contact', contactId, tagId, {
    sessionsInherited: fanOut.propagatedToSessions,
    propagationJobId: fanOut.deferred?.jobId ?? null,
  });

/** The `contact.untagged` event, with what its sessions lost now or the job that will take the rest. */
const contactUntaggedEvent = (
  contactId: string,
  tagId: string,
  fanIn: { removedFromSessions: number; deferred?: { jobId: string } | undefined },
) =>
  untaggedEvent('contact', contactId, tagId, {
    sessionsLost: fanIn.removedFromSessions,
    propagationJobId: fanIn.deferred?.jobId ?? null,
  });

/** Tags a contact; every linked session that lacks the tag inherits it. */
export function tagContact(
  em: EntityManager,
  workspaceId: number,
  input: TagContactInput,
  settings: PropagationSettings,
  actor: Actor,
): Promise<PlainResult<TagContactResult>> {
  return inTransaction(em, async (em) => {
    await lockContact(em, workspaceId, input.contactId);
    await lockTag(em, workspaceId, input.tagId);
    const row = await applyDirectTag(em, workspaceId, 'contact', input.contactId, input.tagId, actor);
    const fanOut = await fanOutContactTag(em, workspaceId, input.contactId, input.tagId, settings);
    await recordEvents(em, workspaceId, [contactTaggedEvent(input.contactId, input.tagId, fanOut)]);
    return { contactTag: toEntityTag(row), ...fanOut };
  });
}

/** Removes the contact's tag row and what its sessions inherited from it (their direct rows stay). */
export function untagContact(
  em: EntityManager,
  workspaceId: number,
  input: UntagContactInput,
  settings: PropagationSettings,
): Promise<PlainResult<UntagContactResult>> {
  return inTransaction(em, async (em) => {
    await lockContact(em, workspaceId, input.contactId);
    if (!(await deleteContactRow(em, workspaceId, input.contactId, input.tagId)))
      throw new DomainError('NOT_FOUND', `contact ${input.contactId} does not have tag ${input.tagId}`);
    const fanIn = await fanInContactUntag(em, workspaceId, input.contactId, input.tagId, settings);
    await recordEvents(em, workspaceId, [contactUntaggedEvent(input.contactId, input.tagId, fanIn)]);
    return { ...fanIn };
  });
}

/** Deletes the contact's row of the tag (whatever its source); false when it had none. */
async function deleteContactRow(
  em: EntityManager,
  workspaceId: number,
  contactId: string,
  tagId: string,
): Promise<boolean> {
  return (await deleteContactRows(em, workspaceId, [contactId], tagId)).length > 0;
}

/** Takes a contact's removed tag from its sessions: up to the fan-out limit now, the rest in a job. */
async function fanInContactUntag(
  em: EntityManager,
  workspaceId: number,
  contactId: string,
  tagId: string,
  settings: PropagationSettings,
): Promise<Pick<PlainResult<UntagContactResult>, 'removedFromSessions' | 'deferred'>> {
  // Removing up to the limit decides and does the work in one pass (counting first was a second
  // pass over the same rows); a job removes what is left beyond it. Fewer rows picked than asked
  // for means none is left (see unpropagateBatch for why not fewer removed).
  const limit = settings.syncFanOutLimit;
  const { picked, removed } = await unpropagateBatch(em, workspaceId, contactId, tagId, limit + 1);
  if (picked <= limit) return { removedFromSessions: removed };
  const left = await countInheritedUpTo(em, workspaceId, contactId, tagId, limit);
  if (left === 0) return { removedFromSessions: removed };
  const deferred = await enqueuePropagation(em, workspaceId, 'untag-contact', contactId, tagId, left);
  return { removedFromSessions: removed, deferred };
}

/**
 * Assigns a tag to a contact, idempotently (document 001): an existing row, whatever its source,
 * means nothing changes. Otherwise the same as tagging the contact.
 */
export function assignContactTag(
  em: EntityManager,
  workspaceId: number,
  input: ContactTagAssignmentInput,
  settings: PropagationSettings,
  actor: Actor,
): Promise<PlainResult<ContactTagAssignmentResult>> {
  return inTransaction(em, async (em) => {
    await lockContact(em, workspaceId, input.contactId);
    await lockTag(em, workspaceId, input.tagId);
    const inserted = await addDirectIfAbsent(
      em,
      workspaceId,
      [{ entityType: 'contact', entityId: input.contactId }],
      [input.tagId],
      actor,
    );
    if (inserted.length === 0) return { changed: false, sessionsAffected: 0 };
    const fanOut = await fanOutContactTag(em, workspaceId, input.contactId, input.tagId, settings);
    await recordEvents(em, workspaceId, [contactTaggedEvent(input.contactId, input.tagId, fanOut)]);
    return {
      changed: true,
      sessionsAffected: fanOut.propagatedToSessions,
      ...(fanOut.deferred ? { deferred: fanOut.deferred } : {}),
    };
  });
}

/** Removes a contact's tag, idempotently: removing an absent tag succeeds and changes nothing. */
export function removeContactTag(
  em: EntityManager,
  workspaceId: number,
  input: ContactTagAssignmentInput,
  settings: PropagationSettings,
): Promise<PlainResult<ContactTagAssignmentResult>> {
  return inTransaction(em, async (em) => {
    await lockContact(em, workspaceId, input.contactId);
    await lockTag(em, workspaceId, input.tagId);
    if (!(await deleteContactRow(em, workspaceId, input.contactId, input.tagId)))
      return { changed: false, sessionsAffected: 0 };
    const fanIn = await fanInContactUntag(em, workspaceId, input.contactId, input.tagId, settings);
    await recordEvents(em, workspaceId, [contactUntaggedEvent(input.contactId, input.tagId, fanIn)]);
    return {
      changed: true,
      sessionsAffected: fanIn.removedFromSessions,
      ...(fanIn.deferred ? { deferred: fanIn.deferred } : {}),
    };
  });
}
