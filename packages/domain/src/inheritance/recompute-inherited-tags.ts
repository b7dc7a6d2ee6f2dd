import type { EntityManager } from '../db/database.ts';
import { lockTagsOfEntities, lockTagsOfSessionContacts, tagIdsOfSessionContacts } from '../entity-tags/entity-locks.ts';
import { recomputeInherited, type InheritanceChange } from '../entity-tags/entity-tag-store.ts';

export type { InheritanceChange };

/**
 * Brings the inherited tags of the given sessions in line with the rules (DESIGN.md; the
 * statements and the rule are the store's `recomputeInherited`): after a relink, an unlink, a
 * create, or as `sync-tags`' repair. First the key-share locks of the tags to copy and of the
 * tags of the rows it may remove, as every writer of a tag's rows takes them before touching rows
 * (`lockTagsOfEntities`: a tag merge moving them waits, or is waited for). Callers hold the
 * sessions' and their contacts' locks.
 */
export async function recomputeInheritedTags(
  em: EntityManager,
  workspaceId: number,
  sessionIds: readonly string[],
): Promise<InheritanceChange> {
  if (sessionIds.length === 0) return { added: 0, removed: 0 };
  // Both sets in one pass (`lockTagsOfEntities`' `alsoTagIds`), then any contact tag added since.
  const contactTags = await tagIdsOfSessionContacts(em, workspaceId, sessionIds);
  await lockTagsOfEntities(em, workspaceId, 'session', sessionIds, contactTags);
  await lockTagsOfSessionContacts(em, workspaceId, sessionIds);
  return recomputeInherited(em, workspaceId, sessionIds);
}
