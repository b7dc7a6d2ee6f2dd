import type { Actor } from '../actor.ts';
import type { EntityManager } from '../db/database.ts';
import { DomainError } from '../errors.ts';
import { makeDirect } from './entity-tag-store.ts';
import type { EntityTagRow } from './entity-tag-rows.ts';

/**
 * Makes the tag the entity's own (direct) row through the store's make-direct; an entity that
 * has it directly already is a conflict (the Entity Tags routes answer 409). Callers hold the
 * entity's lock and the tag's.
 */
export async function applyDirectTag(
  em: EntityManager,
  workspaceId: number,
  entityType: 'contact' | 'session',
  entityId: string,
  tagId: string,
  actor: Actor,
): Promise<EntityTagRow> {
  const [row] = await makeDirect(em, workspaceId, [{ entityType, entityId }], [tagId], actor);
  if (!row) throw new DomainError('CONFLICT', `tag ${tagId} is already applied to ${entityType} ${entityId}`);
  return row;
}
