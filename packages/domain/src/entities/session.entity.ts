import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Contact } from './contact.entity.ts';
import { workspaceKey } from './workspace-key.ts';
import { timestamps } from './timestamps.ts';

/** A session (conversation), linked to at most one contact of its workspace. */
export const Session = defineEntity({
  name: 'Session',
  tableName: 'session',
  properties: {
    ...workspaceKey(),
    name: p.text().default(''),
    // 'no action': deleting a contact unlinks its sessions in the domain first (a composite
    // 'set null' would null workspace_id too).
    contact: () => p.manyToOne(Contact).joinColumns('workspace_id', 'contact_id').nullable().deleteRule('no action'),
    externalId: p.text().nullable(),
    metadata: p.json<Record<string, unknown>>().columnType('jsonb').defaultRaw(`'{}'`),
    ...timestamps(),
  },
  uniques: [{ name: 'session_external_id_uq', properties: ['workspace', 'externalId'] }],
  indexes: [{ name: 'session_contact_idx', properties: ['contact'] }],
});
export type Session = InferEntity<typeof Session>;
