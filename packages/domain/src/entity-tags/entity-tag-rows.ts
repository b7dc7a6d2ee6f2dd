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

export const toAppliedTag = (row: AppliedTagRow): AppliedTag => ({
  id: row.id,
  tag: { id: row.tag_id, name: row.name, color: row.color, emoji: row.emoji },
  sourceType: row.source_type,
  ...(row.source_entity_type ? { sourceEntityType: row.source_entity_type } : {}),
  ...(row.source_entity_id ? { sourceEntityId: row.source_entity_id } : {}),
  appliedByKeyId: row.applied_by_key_id,
  createdAt: toIso(row.created_at),
});
