import type { AppliedTag, EntityTag, EntityType, SourceType } from '@tagging/contracts';
import { toIso } from '../db/sql-values.ts';

export type EntityTagRow = {
  id: string;
  entity_type: EntityType;
  entity_id: string;
  tag_id: string;
  source_type: SourceType;
  source_entity_type: EntityType | null;
  source_entity_id: string | null;
  applied_by_key_id: string | null;
  created_at: unknown;
};

export const toEntityTag = (row: EntityTagRow): EntityTag => ({
  id: row.id,
  entityType: row.entity_type,
  entityId: row.entity_id,
  tagId: row.tag_id,
  sourceType: row.source_type,
  sourceEntityType: row.source_entity_type,
  sourceEntityId: row.source_entity_id,
  appliedByKeyId: row.applied_by_key_id,
  createdAt: toIso(row.created_at),
});

export type AppliedTagRow = EntityTagRow & { name: string; color: string | null; emoji: string | null };

/**
 * An applied tag as the read routes show it; `sourceEntityType` and `sourceEntityId` only when
 * set. The two forms rows have (direct: neither; inherited: both) are whole literals: a spread of
 * an optional part copies by V8's slow path (2 µs a read of 3 tags, issue 20).
 */
export function toAppliedTag(row: AppliedTagRow): AppliedTag {
  const { id, source_type: sourceType, applied_by_key_id: appliedByKeyId } = row;
  const { source_entity_type: sourceEntityType, source_entity_id: sourceEntityId } = row;
  const tag = { id: row.tag_id, name: row.name, color: row.color, emoji: row.emoji };
  const createdAt = toIso(row.created_at);
  if (sourceEntityType && sourceEntityId)
    return { id, tag, sourceType, sourceEntityType, sourceEntityId, appliedByKeyId, createdAt };
  if (!sourceEntityType && !sourceEntityId) return { id, tag, sourceType, appliedByKeyId, createdAt };
  return {
    id,
    tag,
    sourceType,
    ...(sourceEntityType ? { sourceEntityType } : {}),
    ...(sourceEntityId ? { sourceEntityId } : {}),
    appliedByKeyId,
    createdAt,
  };
}
