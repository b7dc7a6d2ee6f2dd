import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tagTypes } from '@tagging/contracts';

/**
 * A workspace's tag definition. Keys lead with `workspace_id` (see DESIGN.md, data model); the
 * foreign key to the workspace and the case-insensitive name index are in the migration.
 */
export const Tag = defineEntity({
  name: 'Tag',
  tableName: 'tag',
  properties: {
    workspaceId: p.integer().primary(),
    id: p.text().primary(),
    name: p.text(),
    color: p.text().nullable(),
    emoji: p.text().nullable(),
    type: p.enum([...tagTypes]).default('common'),
    order: p.integer(),
    description: p.text().nullable(),
    createdAt: p.datetime().columnType('timestamptz').defaultRaw('now()'),
    updatedAt: p.datetime().columnType('timestamptz').defaultRaw('now()'),
  },
});
export type Tag = InferEntity<typeof Tag>;
