import type { EntityManager } from '../db/database.ts';
import { sqlNewId } from '../db/sql-ids.ts';
import { DomainError } from '../errors.ts';
import type { EntityTagRow } from './entity-tag-rows.ts';

/**
 * Makes the tag the entity's own (direct) row: a new row, or an inherited one turned direct (a
 * session's inherited tag, a contact's tag from `propagateToContact`). An existing direct row is
 * a conflict. Callers hold the entity's lock.
 */
export async function applyDirectTag(
  em: EntityManager,
  workspaceId: number,
  entityType: 'contact' | 'session',
  entityId: string,
  tagId: string,
): Promise<EntityTagRow> {
  const [row] = await em.execute<EntityTagRow[]>(
    `insert into entity_tag (workspace_id, id, entity_type, entity_id, tag_id, source_type)
     values (?, ${sqlNewId('etag')}, ?, ?, ?, 'direct')
     on conflict (workspace_id, entity_type, entity_id, tag_id) do update
       set source_type = 'direct', source_entity_type = null, source_entity_id = null
       where entity_tag.source_type <> 'direct'
     returning *`,
    [workspaceId, entityType, entityId, tagId],
  );
  if (!row) throw new DomainError('CONFLICT', `tag ${tagId} is already applied to ${entityType} ${entityId}`);
  return row;
}
