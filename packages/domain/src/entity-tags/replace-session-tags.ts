import { createHash } from 'node:crypto';
import type { Actor } from '../actor.ts';
import type { EntityManager } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { DomainError, notFound } from '../errors.ts';
import { lockContact, lockSession, lockTagsOfEntities } from './entity-locks.ts';
import { makeDirect, releaseDirect } from './entity-tag-store.ts';
import { recordEvents, taggedEvent, untaggedEvent } from '../events/event-outbox.ts';

export type BriefTag = { id: string; name: string; color: string | null };
export type SessionTagSet = { direct: BriefTag[]; inherited: BriefTag[]; version: string };

/** The version of a session's direct tag set: changes whenever that set changes. */
const versionOf = (directTagIds: string[]) =>
  createHash('sha256')
    .update([...directTagIds].sort().join(','))
    .digest('hex')
    .slice(0, 20);

async function readTagSet(em: EntityManager, workspaceId: number, sessionId: string): Promise<SessionTagSet> {
  const rows = await em.execute<(BriefTag & { source_type: string })[]>(
    // The tag of each entity tag by itself, as `appliedTagsSql` does (a join hashed every tag).
    `select t.id, t.name, t.color, et.source_type
     from entity_tag et
     cross join lateral (select t.id, t.name, t.color, t."order" from tag t
                         where t.workspace_id = et.workspace_id and t.id = et.tag_id limit 1) t
     where et.workspace_id = ? and et.entity_type = 'session' and et.entity_id = ?
     order by t."order", t.id`,
    [workspaceId, sessionId],
  );
  const brief = ({ id, name, color }: BriefTag) => ({ id, name, color });
  const direct = rows.filter((row) => row.source_type === 'direct').map(brief);
  return {
    direct,
    inherited: rows.filter((row) => row.source_type !== 'direct').map(brief),
    version: versionOf(direct.map((t) => t.id)),
  };
}

/** A session's tags and the version of its direct set (for a later conditional replace). */
export async function sessionTagSet(em: EntityManager, workspaceId: number, sessionId: string): Promise<SessionTagSet> {
  const [exists] = await em.execute('select 1 from session where workspace_id = ? and id = ?', [
    workspaceId,
    sessionId,
  ]);
  if (!exists) throw notFound('session', sessionId);
  return readTagSet(em, workspaceId, sessionId);
}

/**
 * Replaces a session's direct tags with `tagIds` (the replace-all of the Zapini dialect).
 * Inherited tags stay; a removed direct tag the contact has falls back to inherited; a listed
 * tag the session inherits becomes direct. With `expectedVersion`, a set changed since is a
 * conflict, so that two agents cannot silently overwrite each other. Errors: NOT_FOUND for the
 * session, or for tags that name no tag of the workspace (one issue per position in `tagIds`);
 * CONFLICT for a stale `expectedVersion`.
 */
export function replaceSessionDirectTags(
  em: EntityManager,
  workspaceId: number,
  sessionId: string,
  tagIds: string[],
  actor: Actor,
  expectedVersion?: string,
): Promise<SessionTagSet> {
  return inTransaction(em, async (em) => {
    const { contactId } = await lockSession(em, workspaceId, sessionId);
    if (contactId !== null) await lockContact(em, workspaceId, contactId);
    // The tags it sets and those it may release, held in one pass (a merge moving one of them
    // waits, or is waited for).
    const wanted = [...new Set(tagIds)];
    const known = new Set(await lockTagsOfEntities(em, workspaceId, 'session', [sessionId], wanted));
    const unknown = tagIds.flatMap((id, index) => (known.has(id) ? [] : [index]));
    if (unknown.length > 0)
      throw new DomainError(
        'NOT_FOUND',
        `tag ${unknown.map((index) => tagIds[index]).join(', ')} not found`,
        unknown.map((index) => ({ path: [index], message: `tag ${tagIds[index]} not found` })),
      );
    const current = await readTagSet(em, workspaceId, sessionId);
    if (expectedVersion !== undefined && expectedVersion.replace(/^W\//, '').replace(/"/g, '') !== current.version)
      throw new DomainError('CONFLICT', `the session's tags changed since version ${expectedVersion} was read`);

    const removed = current.direct.map((t) => t.id).filter((id) => !wanted.includes(id));
    await releaseDirect(em, workspaceId, [sessionId], removed);
    const added = await makeDirect(em, workspaceId, [{ entityType: 'session', entityId: sessionId }], wanted, actor);
    const after = await readTagSet(em, workspaceId, sessionId);
    const inherited = new Set(after.inherited.map((t) => t.id));
    await recordEvents(em, workspaceId, [
      ...removed.map((id) => untaggedEvent('session', sessionId, id, { stillInherited: inherited.has(id) })),
      ...added.map((row) => taggedEvent('session', sessionId, row.tag_id)),
    ]);
    return after;
  });
}
