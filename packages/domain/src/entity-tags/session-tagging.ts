import type { SyncSessionTagsResult, TagSessionInput, TagSessionResult, UntagSessionInput } from '@tagging/contracts';
import type { Actor } from '../actor.ts';
import type { EntityManager } from '../db/database.ts';
import { inTransaction, retryingDeadlocks } from '../db/transaction.ts';
import { ForeignKeyConstraintViolationException } from '@mikro-orm/core';
import { DomainError, notFound } from '../errors.ts';
import { recomputeInheritedTags } from '../inheritance/recompute-inherited-tags.ts';
import { fanOutContactTag } from './contact-tagging.ts';
import { applyDirectTag } from './direct-tag.ts';
import { lockContact, lockSession, lockTag } from './entity-locks.ts';
import { toEntityTag } from './entity-tag-rows.ts';
import {
  addContactTagFromSession,
  makeSessionTagDirect,
  releaseDirect,
  type SessionTagOutcome,
} from './entity-tag-store.ts';
import type { PropagationSettings } from './propagation-settings.ts';
import type { PlainResult } from '../plain-result.ts';
import { recordEvents, taggedEvent, untaggedEvent } from '../events/event-outbox.ts';

/**
 * Tags a session directly (an inherited row becomes direct). With `propagateToContact`, the
 * session's contact gets the tag too, recorded as coming from this session, and from then on it
 * is the contact's tag: it reaches the contact's other sessions.
 */
export function tagSession(
  em: EntityManager,
  workspaceId: number,
  input: TagSessionInput,
  settings: PropagationSettings,
  actor: Actor,
): Promise<PlainResult<TagSessionResult>> {
  if (input.propagateToContact !== true) return tagSessionOnly(em, workspaceId, input.sessionId, input.tagId, actor);
  return inTransaction(em, async (em) => {
    const { contactId } = await lockSession(em, workspaceId, input.sessionId);
    const toContact = contactId !== null;
    if (toContact) await lockContact(em, workspaceId, contactId);
    await lockTag(em, workspaceId, input.tagId);
    const row = await applyDirectTag(em, workspaceId, 'session', input.sessionId, input.tagId, actor);
    const sessionEvent = taggedEvent('session', input.sessionId, input.tagId);
    const created =
      toContact && (await addContactTagFromSession(em, workspaceId, contactId, input.tagId, input.sessionId, actor));
    if (!created) {
      await recordEvents(em, workspaceId, [sessionEvent]);
      return { sessionTag: toEntityTag(row), propagatedToContact: false };
    }
    const fanOut = await fanOutContactTag(em, workspaceId, contactId, input.tagId, settings);
    await recordEvents(em, workspaceId, [
      sessionEvent,
      taggedEvent('contact', contactId, input.tagId, {
        source: { entityType: 'session', entityId: input.sessionId },
        sessionsInherited: fanOut.propagatedToSessions,
        propagationJobId: fanOut.deferred?.jobId ?? null,
      }),
    ]);
    return { sessionTag: toEntityTag(row), propagatedToContact: true, ...fanOut };
  });
}

/**
 * The common case, tagging only the session, as one statement of the store (atomic on its own,
 * so no explicit transaction; retried alone on a deadlock, as a transaction would be).
 */
async function tagSessionOnly(
  em: EntityManager,
  workspaceId: number,
  sessionId: string,
  tagId: string,
  actor: Actor,
): Promise<PlainResult<TagSessionResult>> {
  let outcome: SessionTagOutcome;
  try {
    outcome = await retryingDeadlocks(() => makeSessionTagDirect(em, workspaceId, sessionId, tagId, actor));
  } catch (error) {
    // The tag was deleted between the read and the write.
    if (error instanceof ForeignKeyConstraintViolationException) throw notFound('tag', tagId);
    throw error;
  }
  if (!outcome.sessionFound) throw notFound('session', sessionId);
  if (!outcome.tagFound) throw notFound('tag', tagId);
  if (!outcome.row) throw new DomainError('CONFLICT', `tag ${tagId} is already applied to session ${sessionId}`);
  return { sessionTag: toEntityTag(outcome.row), propagatedToContact: false };
}

/**
 * Removes a session's direct tag. If its contact has the tag, the row falls back to inherited;
 * a tag the session only inherits cannot be removed here (it belongs to the contact).
 */
export function untagSession(em: EntityManager, workspaceId: number, input: UntagSessionInput): Promise<void> {
  return inTransaction(em, async (em) => {
    const { contactId } = await lockSession(em, workspaceId, input.sessionId);
    if (contactId !== null) await lockContact(em, workspaceId, contactId);
    const [row] = await em.execute<{ source_type: string; source_entity_id: string | null }[]>(
      `select source_type, source_entity_id from entity_tag
       where workspace_id = ? and entity_type = 'session' and entity_id = ? and tag_id = ?`,
      [workspaceId, input.sessionId, input.tagId],
    );
    if (!row) throw new DomainError('NOT_FOUND', `session ${input.sessionId} does not have tag ${input.tagId}`);
    if (row.source_type !== 'direct')
      throw new DomainError(
        'CONFLICT',
        `tag ${input.tagId} is inherited from contact ${row.source_entity_id ?? contactId ?? ''}; remove it from the contact`,
      );
    const released = await releaseDirect(em, workspaceId, [input.sessionId], [input.tagId]);
    await recordEvents(em, workspaceId, [
      untaggedEvent('session', input.sessionId, input.tagId, { stillInherited: released.fellBack > 0 }),
    ]);
  });
}

/** Recomputes one session from the rules; a healthy database reports 0 and 0. */
export function syncSessionTags(
  em: EntityManager,
  workspaceId: number,
  sessionId: string,
): Promise<PlainResult<SyncSessionTagsResult>> {
  return inTransaction(em, async (em) => {
    const { contactId } = await lockSession(em, workspaceId, sessionId);
    if (contactId !== null) await lockContact(em, workspaceId, contactId);
    const change = await recomputeInheritedTags(em, workspaceId, [sessionId]);
    return { addedTags: change.added, removedTags: change.removed };
  });
}
