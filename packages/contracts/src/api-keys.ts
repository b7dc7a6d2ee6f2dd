import { z } from 'zod';
import { ApiKeyId } from './ids.ts';
import { Text } from './text.ts';

/**
 * What an API key may do, each including the one before: `read` reads; `write` also changes
 * data (every mutation of every surface); `admin` also manages the workspace's API keys.
 */
export const apiKeyScopes = ['read', 'write', 'admin'] as const;
export const ApiKeyScope = z.enum(apiKeyScopes);
export type ApiKeyScope = z.infer<typeof ApiKeyScope>;

/** True when a key of scope `held` may do what needs scope `needed` (admin ⊇ write ⊇ read). */
export const scopeIncludes = (held: ApiKeyScope, needed: ApiKeyScope): boolean =>
  apiKeyScopes.indexOf(held) >= apiKeyScopes.indexOf(needed);

/** An API key as listed: never its secret, only its first characters (`hint`). */
export const ApiKey = z.object({
  id: z.string(),
  workspaceId: z.number().int(),
  name: z.string(),
  /** The first 8 characters of the secret, to tell keys apart. */
  hint: z.string(),
  scope: ApiKeyScope,
  createdAt: z.iso.datetime(),
  /** From this time on the key is refused (401); null: it never expires. */
  expiresAt: z.iso.datetime().nullable(),
  /** The last request made with it, to the minute (written at most once a minute); null: never used. */
  lastUsedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});
export type ApiKey = z.infer<typeof ApiKey>;

/** A key as created: the only response that carries its secret. */
export const CreatedApiKey = ApiKey.extend({
  /** The key itself (`tgk_…`): shown this once, only its SHA-256 is stored. */
  secret: z.string(),
});
export type CreatedApiKey = z.infer<typeof CreatedApiKey>;

export const CreateApiKeyInput = z.strictObject({
  name: Text.trim()
    .min(1)
    .max(100)
    .optional()
    .meta({ description: 'A name to tell the key apart (default "default")' }),
  scope: ApiKeyScope.meta({ description: 'read, write (read and change data) or admin (write and manage API keys)' }),
  expiresAt: z.iso
    .datetime({ offset: true })
    .nullish()
    .meta({ description: 'When the key stops working (ISO 8601, in the future); omitted or null: never' }),
});
export type CreateApiKeyInput = z.infer<typeof CreateApiKeyInput>;

export const ApiKeyIdInput = z.object({ id: ApiKeyId });
export type ApiKeyIdInput = z.infer<typeof ApiKeyIdInput>;

export const ListApiKeysInput = z.object({}).optional();

/** Every key of the workspace, revoked and expired ones included (they say so), oldest first. */
export const ApiKeyList = z.object({ apiKeys: z.array(ApiKey) });
export type ApiKeyList = z.infer<typeof ApiKeyList>;
