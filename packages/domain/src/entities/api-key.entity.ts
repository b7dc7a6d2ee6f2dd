import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Workspace } from './workspace.entity.ts';

/** An API key: only the SHA-256 of its secret is kept; the secret is shown once, at creation. */
export const ApiKey = defineEntity({
  name: 'ApiKey',
  tableName: 'api_key',
  properties: {
    workspace: () => p.manyToOne(Workspace).primary().deleteRule('cascade'),
    id: p.text().primary(),
    name: p.text(),
    /** The first characters of the secret, so people can tell their keys apart. */
    hint: p.text(),
    secretHash: p.text(),
    createdAt: p.datetime().columnType('timestamptz').defaultRaw('now()'),
    revokedAt: p.datetime().columnType('timestamptz').nullable(),
  },
  uniques: [{ name: 'api_key_secret_hash_uq', properties: ['secretHash'] }],
});
export type ApiKey = InferEntity<typeof ApiKey>;
