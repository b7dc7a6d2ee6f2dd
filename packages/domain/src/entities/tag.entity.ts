import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { tagTypes } from '@tagging/contracts';
import { workspaceKey } from './workspace-key.ts';
import { timestamps } from './timestamps.ts';

/** A workspace's tag definition. Keys lead with `workspace_id` (see DESIGN.md, data model). */
export const Tag = defineEntity({
  name: 'Tag',
  tableName: 'tag',
  properties: {
    ...workspaceKey(),
    /** As typed, trimmed and NFC-normalized (contracts' `normalizeTagName`). */
    name: p.text(),
    /** `tagNameKey(name)`, computed by the application only: what uniqueness and search compare. */
    nameKey: p.text(),
    color: p.text().nullable(),
    emoji: p.text().nullable(),
    type: p.enum([...tagTypes]).default('common'),
    order: p.integer(),
    description: p.text().nullable(),
    /** The API key that created the tag (null: created before keys were recorded, or by the CLI). */
    createdByKeyId: p.text().nullable(),
    /** The API key of the last change to the tag's own fields (null: none since keys were recorded). */
    updatedByKeyId: p.text().nullable(),
    ...timestamps(),
  },
  uniques: [
    {
      // One name per workspace and type under the comparison key; with the key second and
      // text_pattern_ops, the same index serves the prefix search (name_key like 'pre%', with or
      // without a type) whatever the database collation.
      name: 'tag_name_key_uq',
      expression: (columns, table, index) =>
        `create unique index "${index}" on ${table} ("${columns.workspace}", "${columns.nameKey}" text_pattern_ops, "${columns.type}")`,
    },
  ],
  indexes: [{ name: 'tag_order_idx', properties: ['workspace', 'order', 'id'] }],
});
export type Tag = InferEntity<typeof Tag>;
