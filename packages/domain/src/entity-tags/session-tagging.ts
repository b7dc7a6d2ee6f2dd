import type { SyncSessionTagsResult, TagSessionInput, TagSessionResult, UntagSessionInput } from '@tagging/contracts';
import type { EntityManager } from '../db/database.ts';
import { sqlNewId } from '../db/sql-ids.ts';
import { inTransaction, retryingDeadlocks } from '../db/transaction.ts';
import { ForeignKeyConstraintViolationException } from '@mikro-orm/core';
import { DomainError, notFound } from '../errors.ts';
import { recomputeInheritedTags } from '../inheritance/recompute-inherited-tags.ts';
import { fanOutContactTag } from './contact-tagging.ts';
import { applyDirectTag } from './direct-tag.ts';
import { lockContact, lockSession, lockTag } from './entity-locks.ts';
import { toEntityTag, type EntityTagRow } from './entity-tag-rows.ts';
import type { PropagationSettings } from './propagation-settings.ts';

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
): Promise<TagSessionResult> {
  if (input.propagateToContact !== true) return tagSessionOnly(em, workspaceId, input.sessionId, input.tagId);
  return inTransaction(em, async (em) => {
    const { contactId } = await lockSession(em, workspaceId, input.sessionId);
    const toContact = contactId !== null;
    if (toContact) await lockContact(em, workspaceId, contactId);
    await lockTag(em, workspaceId, input.tagId);
    const row = await applyDirectTag(em, workspaceId, 'session', input.sessionId, input.tagId);
    if (!toContact) return { success: true, sessionTag: toEntityTag(row), propagatedToContact: false };

    const created = await em.execute(
      `insert into entity_tag (workspace_id, id, entity_type, entity_id, tag_id, source_type, source_entity_type, source_entity_id)
       values (?, ${sqlNewId('etag')}, 'contact', ?, ?, 'inherited', 'session', ?)
       on conflict (workspace_id, entity_type, entity_id, tag_id) do nothing
       returning id`,
      [workspaceId, contactId, input.tagId, input.sessionId],
    );
    if (created.length === 0) return { success: true, sessionTag: toEntityTag(row), propagatedToContact: false };
    const fanOut = await fanOutContactTag(em, workspaceId, contactId, input.tagId, settings);
    return { success: true, sessionTag: toEntityTag(row), propagatedToContact: true, ...fanOut };
  });
}

/**
 * The common case, tagging only the session, as one statement (atomic on its own, so no explicit
 * transaction; retried alone on a deadlock, as a transaction would be): it locks the session row,
 * as every session operation does first, and writes the direct row; the foreign key to the tag
 * takes the tag's key-share lock. Two round trips fewer than a transaction of separate
 * statements, which the benchmark showed to be the cost.
 */
async function tagSessionOnly(
  em: EntityManager,
  workspaceId: number,
  sessionId: string,
  tagId: string,
): Promise<TagSessionResult> {
  let rows: (Partial<EntityTagRow> & { session_found: number; tag_found: number })[];
  try {
    rows = await retryingDeadlocks(() =>
      em.execute(
        `with s as (select workspace_id, id from session where workspace_id = ? and id = ? for update),
       t as (select id from tag where workspace_id = ? and id = ?),
       written as (
         insert into entity_tag (workspace_id, id, entity_type, entity_id, tag_id, source_type)
         select s.workspace_id, ${sqlNewId('etag')}, 'session', s.id, t.id, 'direct' from s, t
         on conflict (workspace_id, entity_type, entity_id, tag_id) do update
           set source_type = 'direct', source_entity_type = null, source_entity_id = null
           where entity_tag.source_type <> 'direct'
         returning *)
       select (select count(*) from s)::int as session_found, (select count(*) from t)::int as tag_found, written.*
       from (select 1) as one left join written on true`,
        [workspaceId, sessionId, workspaceId, tagId],
      ),
    );
  } catch (error) {
    // The tag was deleted between the read and the write.
    if (error instanceof ForeignKeyConstraintViolationException) throw notFound('tag', tagId);
    throw error;
  }
  const [row] = rows;
  if (!row?.session_found) throw notFound('session', sessionId);
  if (!row.tag_found) throw notFound('tag', tagId);
  if (!row.id) throw new DomainError('CONFLICT', `tag ${tagId} is already applied to session ${sessionId}`);
  return { success: true, sessionTag: toEntityTag(row as EntityTagRow), propagatedToContact: false };
}

/**
 * Removes a session's direct tag. If its contact has the tag, the row falls back to inherited;
 * a tag the session only inherits cannot be removed here (it belongs to the contact).
 */
export function untagSession(
  em: EntityManager,
  workspaceId: number,
  input: UntagSessionInput,
): Promise<{ success: true }> {
  return inTransaction(em, async (em) => {
    const { contactId } = await lockSession(em, workspaceId, input.sessionId);
    if (contactId !== null) await lockContact(em, workspaceId, contactId);
    const [row] = await em.execute<{ source_type: string; source_entity_id: string | null; contact_has: boolean }[]>(
      `select source_type, source_entity_id,
              exists (select 1 from entity_tag c where c.workspace_id = et.workspace_id and c.entity_type = 'contact'
                        and c.entity_id = ? and c.tag_id = et.tag_id) as contact_has
       from entity_tag et where et.workspace_id = ? and et.entity_type = 'session' and et.entity_id = ? and et.tag_id = ?`,
      [contactId ?? '', workspaceId, input.sessionId, input.tagId],
    );
    if (!row) throw new DomainError('NOT_FOUND', `session ${input.sessionId} does not have tag ${input.tagId}`);
    if (row.source_type !== 'direct')
      throw new DomainError(
        'CONFLICT',
        `tag ${input.tagId} is inherited from contact ${row.source_entity_id ?? contactId ?? ''}; remove it from the contact`,
      );
    if (row.contact_has && contactId !== null) {
      await em.execute(
        `update entity_tag set source_type = 'inherited', source_entity_type = 'contact', source_entity_id = ?
         where workspace_id = ? and entity_type = 'session' and entity_id = ? and tag_id = ?`,
        [contactId, workspaceId, input.sessionId, input.tagId],
      );
    } else {
      await em.execute(
        `delete from entity_tag where workspace_id = ? and entity_type = 'session' and entity_id = ? and tag_id = ?`,
        [workspaceId, input.sessionId, input.tagId],
      );
    }
    return { success: true };
  });
}

/** Recomputes one session from the rules; a healthy database reports 0 and 0. */
export function syncSessionTags(
  em: EntityManager,
  workspaceId: number,
  sessionId: string,
): Promise<SyncSessionTagsResult> {
  return inTransaction(em, async (em) => {
    const { contactId } = await lockSession(em, workspaceId, sessionId);
    if (contactId !== null) await lockContact(em, workspaceId, contactId);
    const change = await recomputeInheritedTags(em, workspaceId, [sessionId]);
    return { success: true, addedTags: change.added, removedTags: change.removed };
  });
}
