import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tagTypes } from '@tagging/contracts';
import { Workspace } from './workspace.entity.ts';

/** A workspace's tag definition. Keys lead with `workspace_id` (see DESIGN.md, data model). */
export const Tag = defineEntity({
  name: 'Tag',
  tableName: 'tag',
  properties: {
    workspace: () => p.manyToOne(Workspace).primary().deleteRule('cascade'),
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
  uniques: [
    {
      // Unique ignoring case; text_pattern_ops lets the same index serve the case-insensitive
      // prefix search (lower(name) like 'pre%') whatever the database collation.
      name: 'tag_name_uq',
      expression: (columns, table, index) =>
        `create unique index "${index}" on ${table} ("${columns.workspace}", lower("${columns.name}") text_pattern_ops)`,
    },
  ],
  indexes: [{ name: 'tag_order_idx', properties: ['workspace', 'order', 'id'] }],
});
export type Tag = InferEntity<typeof Tag>;
