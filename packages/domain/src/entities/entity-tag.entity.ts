import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { entityTypes, sourceTypes } from '@tagging/contracts';
import { Tag } from './tag.entity.ts';
import { workspaceKey } from './workspace-key.ts';
import { createdAt } from './timestamps.ts';

/** The documented `entity_tags` row: one per (workspace, entity, tag). */
export const EntityTag = defineEntity({
  name: 'EntityTag',
  tableName: 'entity_tag',
  properties: {
    ...workspaceKey(),
    entityType: p.enum([...entityTypes]),
    entityId: p.text(),
    // Shares workspace_id with the primary key: a tag of another workspace cannot be referenced.
    tag: () => p.manyToOne(Tag).joinColumns('workspace_id', 'tag_id').deleteRule('cascade'),
    sourceType: p.enum([...sourceTypes]),
    sourceEntityType: p.enum([...entityTypes]).nullable(),
    sourceEntityId: p.text().nullable(),
    /**
     * The API key whose call applied the tag to this entity (direct rows, and a contact's row from
     * `propagateToContact`); null for rows a session inherits from its contact (the contact's row
     * says who) and for rows written before keys were recorded. Not a foreign key: a revoked key
     * is kept, and the record must outlive it.
     */
    appliedByKeyId: p.text().nullable(),
    createdAt: createdAt(),
  },
  uniques: [{ name: 'entity_tag_entity_tag_uq', properties: ['workspace', 'entityType', 'entityId', 'tag'] }],
  indexes: [
    // Serves usage counts, entity lists by tag (keyset on entity_id) and their filters.
    { name: 'entity_tag_tag_idx', properties: ['workspace', 'tag', 'entityType', 'sourceType', 'entityId'] },
    { name: 'entity_tag_source_idx', properties: ['workspace', 'sourceEntityType', 'sourceEntityId'] },
  ],
});
export type EntityTag = InferEntity<typeof EntityTag>;
