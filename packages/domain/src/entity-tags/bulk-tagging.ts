import { type BulkEntityError, type BulkTagInput, type BulkTagResult, type BulkUntagResult } from '@tagging/contracts';
import type { Actor } from '../actor.ts';
import type { EntityManager } from '../db/database.ts';
import { assertBulkSize } from '../db/bulk-items.ts';
import { textArray } from '../db/sql-values.ts';
import { inTransaction } from '../db/transaction.ts';
import { lockContacts, lockSessions, lockTag, type LockedSession } from './entity-locks.ts';
import {
  deleteContactRows,
  makeDirectRecordingSessionEvents,
  propagateFromContacts,
  releaseDirect,
  unpropagate,
} from './entity-tag-store.ts';
import type { PlainResult } from '../plain-result.ts';
import { contactsTaggedEvents, recordEvents, untaggedEvent } from '../events/event-outbox.ts';

type Item = { index: number; entityType: 'contact' | 'session'; entityId: string };

/**
 * The distinct entities of a bulk request, each with the index of its first occurrence: a
 * repeated entity is one item, tagged (or skipped) once, and its repeats count nowhere
 * (docs/DECISIONS.md, "Bulk"). The contract (`BulkEntity`) has refused a wrong entity type and
 * brought every id to its canonical form, so nothing here is checked again.
 */
function distinctItems(input: BulkTagInput): Item[] {
  const seen = { contact: new Set<string>(), session: new Set<string>() };
  const items: Item[] = [];
  input.entities.forEach(({ entityType, entityId }, index) => {
    const ids = seen[entityType];
    if (ids.has(entityId)) return;
    ids.add(entityId);
    items.push({ index, entityType, entityId });
  });
  return items;
}

const idsOf = (items: Item[], type: Item['entityType']) =>
  items.filter((i) => i.entityType === type).map((i) => i.entityId);

/**
 * Locks the listed sessions, then the listed contacts (the global lock order) and reports the
 * ids that are not in the workspace. Returns the found sessions with their contact.
 */
async function lockEntities(
  em: EntityManager,
  workspaceId: number,
  items: Item[],
  errors: BulkEntityError[],
  extraContacts: (sessions: LockedSession[]) => string[] = () => [],
): Promise<{ found: Item[]; sessions: LockedSession[] }> {
  const sessions = await lockSessions(em, workspaceId, idsOf(items, 'session'));
  const contacts = await lockContacts(em, workspaceId, [...idsOf(items, 'contact'), ...extraContacts(sessions)]);
  const present = { session: new Set(sessions.map((session) => session.id)), contact: new Set(contacts) };
  const found = items.filter((item) => {
    if (present[item.entityType].has(item.entityId)) return true;
    errors.push({ ...item, code: 'NOT_FOUND', message: `${item.entityType} ${item.entityId} not found` });
    return false;
  });
  return { found, sessions };
}

/**
 * Tags many contacts and sessions at once: one statement writes every direct row (an inherited
 * row becomes direct), one more gives the tagged contacts' sessions their inherited rows.
 */
export function bulkTag(
  em: EntityManager,
  workspaceId: number,
  input: BulkTagInput,
  actor: Actor,
): Promise<PlainResult<BulkTagResult>> {
  assertBulkSize(input.entities.length);
  return inTransaction(em, async (em) => {
    const errors: BulkEntityError[] = [];
    const items = distinctItems(input);
    // Entities, then the tag, as every other writer (entity-locks.ts): the tag first waited in a
    // cycle with a single tagging and a rename or bulk patch of the tag (session 24).
    const { found } = await lockEntities(em, workspaceId, items, errors);
    await lockTag(em, workspaceId, input.tagId);
    // One event per entity whose own tags changed: each session's is written with its row;
    // sessions that only inherited are counted in their contact's event.
    const { written, contactIds: contacts } = await makeDirectRecordingSessionEvents(
      em,
      workspaceId,
      found,
      [input.tagId],
      actor,
    );
    const propagated = await propagateFromContacts(em, workspaceId, contacts, input.tagId);
    await recordEvents(em, workspaceId, await contactsTaggedEvents(em, workspaceId, contacts, input.tagId));
    return {
      tagged: written,
      skipped: found.length - written,
      propagatedToSessions: propagated,
      errors: errors.sort((a, b) => a.index - b.index),
    };
  });
}

/**
 * Untags many entities at once, contacts first (their sessions lose what they inherited), then
 * sessions: a direct row falls back to inherited where the contact still has the tag, otherwise
 * it goes; a session that only inherits the tag is reported, not changed.
 */
export function bulkUntag(
  em: EntityManager,
  workspaceId: number,
  input: BulkTagInput,
): Promise<PlainResult<BulkUntagResult>> {
  assertBulkSize(input.entities.length);
  return inTransaction(em, async (em) => {
    const errors: BulkEntityError[] = [];
    const items = distinctItems(input);
    const { found } = await lockEntities(em, workspaceId, items, errors, (rows) =>
      rows.map((row) => row.contact_id).filter((id): id is string => id !== null),
    );
    await lockTag(em, workspaceId, input.tagId);
    const untaggedContacts = await deleteContactRows(em, workspaceId, idsOf(found, 'contact'), input.tagId);
    const lost = await unpropagate(em, workspaceId, untaggedContacts, input.tagId);
    let removed = 0;
    for (const count of lost.values()) removed += count;

    // A session's direct row is released; one it only inherits is the contact's (an item error).
    const sessionItems = found.filter((item) => item.entityType === 'session');
    const rows = sessionItems.length
      ? await em.execute<{ entity_id: string; source_type: string; source_entity_id: string | null }[]>(
          `select entity_id, source_type, source_entity_id from entity_tag
           where workspace_id = ? and entity_type = 'session' and tag_id = ? and entity_id = any(?::text[])`,
          [workspaceId, input.tagId, textArray(sessionItems.map((item) => item.entityId))],
        )
      : [];
    const byId = new Map(rows.map((row) => [row.entity_id, row]));
    const release: string[] = [];
    for (const item of sessionItems) {
      const row = byId.get(item.entityId);
      if (!row) continue;
      if (row.source_type !== 'direct') {
        errors.push({
          ...item,
          code: 'CONFLICT',
          message: `tag is inherited from contact ${row.source_entity_id ?? ''}; remove it from the contact`,
        });
      } else release.push(item.entityId);
    }
    const released = await releaseDirect(em, workspaceId, release, [input.tagId]);
    await recordEvents(em, workspaceId, [
      ...untaggedContacts.map((id) => untaggedEvent('contact', id, input.tagId, { sessionsLost: lost.get(id) ?? 0 })),
      ...(await releasedSessionEvents(em, workspaceId, release, input.tagId)),
    ]);
    const untagged = untaggedContacts.length + released.fellBack + released.deleted;
    const conflicts = errors.filter((e) => e.code === 'CONFLICT').length;
    return {
      untagged,
      skipped: found.length - untagged - conflicts,
      removedFromSessions: removed,
      errors: errors.sort((a, b) => a.index - b.index),
    };
  });
}

/**
 * `session.untagged` for each released session, saying whether it still inherits the tag (its
 * contact has it): one read after the release.
 */
async function releasedSessionEvents(em: EntityManager, workspaceId: number, sessionIds: string[], tagId: string) {
  if (sessionIds.length === 0) return [];
  const still = await em.execute<{ entity_id: string }[]>(
    `select entity_id from entity_tag
     where workspace_id = ? and entity_type = 'session' and tag_id = ? and entity_id = any(?::text[])`,
    [workspaceId, tagId, textArray(sessionIds)],
  );
  const inherited = new Set(still.map((row) => row.entity_id));
  return sessionIds.map((id) => untaggedEvent('session', id, tagId, { stillInherited: inherited.has(id) }));
}
