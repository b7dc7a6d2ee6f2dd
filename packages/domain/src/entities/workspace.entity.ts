import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt } from './timestamps.ts';

export const Workspace = defineEntity({
  name: 'Workspace',
  tableName: 'workspace',
  properties: {
    id: p.integer().primary().autoincrement(),
    name: p.text(),
    createdAt: createdAt(),
  },
});
export type Workspace = InferEntity<typeof Workspace>;
