import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { workspaceKey } from './workspace-key.ts';
import { timestamps } from './timestamps.ts';

/** The minimal contact record tags hang on. */
export const Contact = defineEntity({
  name: 'Contact',
  tableName: 'contact',
  properties: {
    ...workspaceKey(),
    name: p.text().default(''),
    /** The caller's own id, unique per workspace, for idempotent imports. */
    externalId: p.text().nullable(),
    metadata: p.json<Record<string, unknown>>().columnType('jsonb').defaultRaw(`'{}'`),
    ...timestamps(),
  },
  uniques: [{ name: 'contact_external_id_uq', properties: ['workspace', 'externalId'] }],
});
export type Contact = InferEntity<typeof Contact>;
