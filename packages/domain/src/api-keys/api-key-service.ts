import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '../db/database.ts';
import { toIso } from '../db/sql-values.ts';
import { DomainError } from '../errors.ts';
import { uuidv7 } from '../ids.ts';

export type ApiKeyView = {
  id: string;
  workspaceId: number;
  name: string;
  /** The first characters of the secret, to tell keys apart. */
  hint: string;
  createdAt: string;
  revokedAt: string | null;
};

/** A key as created: the only moment its secret exists outside the caller's hands. */
export type CreatedApiKey = ApiKeyView & { secret: string };

/** Who a request acts as, once its key is known. */
export type Caller = { workspaceId: number; apiKeyId: string };

const minimumSecretLength = 16;

/** What is stored of a key, and what a cache of callers may be keyed by. */
export const apiKeyHash = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');
const newSecret = () => `tgk_${randomBytes(32).toString('base64url')}`;

type ApiKeyRow = {
  workspace_id: number;
  id: string;
  name: string;
  hint: string;
  secret_hash: string;
  created_at: unknown;
  revoked_at: unknown;
};

const toApiKey = (row: ApiKeyRow): ApiKeyView => ({
  id: row.id,
  workspaceId: row.workspace_id,
  name: row.name,
  hint: row.hint,
  createdAt: toIso(row.created_at),
  revokedAt: row.revoked_at === null ? null : toIso(row.revoked_at),
});

/**
 * Issues a key for a workspace. Only the SHA-256 of the secret is stored: the secret is 256 random
 * bits, so a fast hash is enough (nothing to brute-force), and lookups stay one index probe.
 */
export async function createApiKey(
  em: EntityManager,
  workspaceId: number,
  options: { name?: string; secret?: string } = {},
): Promise<CreatedApiKey> {
  const secret = options.secret ?? newSecret();
  if (secret.length < minimumSecretLength)
    throw new DomainError('VALIDATION_ERROR', `an API key must have at least ${minimumSecretLength} characters`);
  const [row] = await em.execute<ApiKeyRow[]>(
    `insert into api_key (workspace_id, id, name, hint, secret_hash)
     select id, ?, ?, ?, ? from workspace where id = ?
     returning *`,
    [`key_${uuidv7()}`, options.name ?? 'default', secret.slice(0, 8), apiKeyHash(secret), workspaceId],
  );
  if (!row) throw new DomainError('NOT_FOUND', `workspace ${workspaceId} not found`);
  return { ...toApiKey(row), secret };
}

export async function listApiKeys(em: EntityManager, workspaceId?: number): Promise<ApiKeyView[]> {
  const rows = await em.execute<ApiKeyRow[]>(
    `select * from api_key ${workspaceId === undefined ? '' : 'where workspace_id = ?'} order by workspace_id, id`,
    workspaceId === undefined ? [] : [workspaceId],
  );
  return rows.map(toApiKey);
}

/** Revokes a key at once: the next request that uses it is refused. Revoking twice is harmless. */
export async function revokeApiKey(em: EntityManager, id: string): Promise<ApiKeyView> {
  const [row] = await em.execute<ApiKeyRow[]>(
    'update api_key set revoked_at = coalesce(revoked_at, now()) where id = ? returning *',
    [id],
  );
  if (!row) throw new DomainError('NOT_FOUND', `API key ${id} not found`);
  return toApiKey(row);
}

/** The caller a secret stands for, or null for an unknown or revoked key. */
export async function authenticateApiKey(em: EntityManager, secret: string): Promise<Caller | null> {
  if (secret.length < minimumSecretLength || secret.length > 512) return null;
  const hash = apiKeyHash(secret);
  const [row] = await em.execute<Pick<ApiKeyRow, 'workspace_id' | 'id' | 'secret_hash'>[]>(
    'select workspace_id, id, secret_hash from api_key where secret_hash = ? and revoked_at is null',
    [hash],
  );
  // The index lookup already matched; the constant-time comparison keeps the check itself from
  // depending on where two hashes first differ.
  if (!row || !timingSafeEqual(Buffer.from(row.secret_hash), Buffer.from(hash))) return null;
  return { workspaceId: row.workspace_id, apiKeyId: row.id };
}
