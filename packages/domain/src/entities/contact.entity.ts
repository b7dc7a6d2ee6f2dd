import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Workspace } from './workspace.entity.ts';

/** The minimal contact record tags hang on. */
export const Contact = defineEntity({
  name: 'Contact',
  tableName: 'contact',
  properties: {
    workspace: () => p.manyToOne(Workspace).primary().deleteRule('cascade'),
    id: p.text().primary(),
    name: p.text().default(''),
    /** The caller's own id, unique per workspace, for idempotent imports. */
    externalId: p.text().nullable(),
    metadata: p.json<Record<string, unknown>>().columnType('jsonb').defaultRaw(`'{}'`),
    createdAt: p.datetime().columnType('timestamptz').defaultRaw('now()'),
    updatedAt: p.datetime().columnType('timestamptz').defaultRaw('now()'),
  },
  uniques: [{ name: 'contact_external_id_uq', properties: ['workspace', 'externalId'] }],
});
export type Contact = InferEntity<typeof Contact>;
