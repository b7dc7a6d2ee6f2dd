import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const entityTypes = ['contact', 'session'] as const;
export const sourceTypes = ['direct', 'inherited'] as const;

/** The documented `entity_tags` row: one per (workspace, entity, tag). */
export const EntityTag = defineEntity({
  name: 'EntityTag',
  tableName: 'entity_tag',
  properties: {
    workspaceId: p.integer().primary(),
    id: p.text().primary(),
    entityType: p.enum([...entityTypes]),
    entityId: p.text(),
    tagId: p.text(),
    sourceType: p.enum([...sourceTypes]),
    sourceEntityType: p.enum([...entityTypes]).nullable(),
    sourceEntityId: p.text().nullable(),
    createdAt: p.datetime().columnType('timestamptz').defaultRaw('now()'),
  },
  uniques: [{ name: 'entity_tag_entity_tag_uq', properties: ['workspaceId', 'entityType', 'entityId', 'tagId'] }],
  indexes: [
    { name: 'entity_tag_tag_idx', properties: ['workspaceId', 'tagId', 'entityType', 'sourceType'] },
    { name: 'entity_tag_source_idx', properties: ['workspaceId', 'sourceEntityType', 'sourceEntityId'] },
  ],
});
export type EntityTag = InferEntity<typeof EntityTag>;
