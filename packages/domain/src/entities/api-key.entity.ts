import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { workspaceKey } from './workspace-key.ts';
import { apiKeyScopes } from '@tagging/contracts';
import { createdAt } from './timestamps.ts';

/** An API key: only the SHA-256 of its secret is kept; the secret is shown once, at creation. */
export const ApiKey = defineEntity({
  name: 'ApiKey',
  tableName: 'api_key',
  properties: {
    ...workspaceKey(),
    name: p.text(),
    /** The first characters of the secret, so people can tell their keys apart. */
    hint: p.text(),
    secretHash: p.text(),
    createdAt: createdAt(),
    revokedAt: p.datetime().columnType('timestamptz').nullable(),
    /** What the key may do: `read` ⊂ `write` ⊂ `admin` (keys from before scopes are `admin`). */
    scope: p.enum([...apiKeyScopes]).default('admin'),
    /** Refused (401) from this time on; null never expires. */
    expiresAt: p.datetime().columnType('timestamptz').nullable(),
    /** When a request last used the key, written at most once a minute per key and process. */
    lastUsedAt: p.datetime().columnType('timestamptz').nullable(),
  },
  uniques: [{ name: 'api_key_secret_hash_uq', properties: ['secretHash'] }],
});
export type ApiKey = InferEntity<typeof ApiKey>;
