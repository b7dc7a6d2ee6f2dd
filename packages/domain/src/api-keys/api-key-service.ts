import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ApiKeyScope } from '@tagging/contracts';
import type { EntityManager } from '../db/database.ts';
import { textArray, toIso, toIsoOrNull } from '../db/sql-values.ts';
import { DomainError } from '../errors.ts';
import { uuidv7 } from '../ids.ts';

export type ApiKeyView = {
  id: string;
  workspaceId: number;
  name: string;
  /** The first characters of the secret, to tell keys apart. */
  hint: string;
  scope: ApiKeyScope;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

/** A key as created: the only moment its secret exists outside the caller's hands. */
export type CreatedApiKey = ApiKeyView & { secret: string };

/**
 * Who a request acts as, once its key is known: the workspace, the key (recorded as the actor of
 * what the request changes) and what the key may do. `expiresAt` (ISO) lets a cache of callers
 * stop serving the key when it expires.
 */
export type Caller = { workspaceId: number; apiKeyId: string; scope: ApiKeyScope; expiresAt: string | null };

const minimumSecretLength = 16;

/**
 * What is stored of a key, and what a cache of callers may be keyed by: its SHA-256, in hex.
 * Node's one-shot `hash` (2-3 µs) rather than a `createHash` object (8-9 µs): it runs on every
 * request.
 */
export const apiKeyHash = (secret: string) => hash('sha256', secret, 'hex');
const newSecret = () => `tgk_${randomBytes(32).toString('base64url')}`;

type ApiKeyRow = {
  workspace_id: number;
  id: string;
  name: string;
  hint: string;
  secret_hash: string;
  scope: ApiKeyScope;
  created_at: unknown;
  expires_at: unknown;
  last_used_at: unknown;
  revoked_at: unknown;
};

const toApiKey = (row: ApiKeyRow): ApiKeyView => ({
  id: row.id,
  workspaceId: row.workspace_id,
  name: row.name,
  hint: row.hint,
  scope: row.scope,
  createdAt: toIso(row.created_at),
  expiresAt: toIsoOrNull(row.expires_at),
  lastUsedAt: toIsoOrNull(row.last_used_at),
  revokedAt: toIsoOrNull(row.revoked_at),
});

/** The first instant a key cannot expire at: its UTC form would need a five-digit year, which PostgreSQL's ISO input does not read. */
const endOfExpiries = Date.UTC(10000, 0, 1);

/**
 * Why `expiresAt` cannot be a new key's expiry, or null: it must be a time in the future, and
 * before the year 10000 in UTC. The one rule for every caller (the API through `createApiKey`,
 * the CLI's `--expires-at`).
 */
export function expiryRefusal(expiresAt: Date): string | null {
  const time = expiresAt.getTime();
  if (!(time > Date.now())) return 'must be a time in the future';
  if (!(time < endOfExpiries)) return 'must be before the year 10000 (UTC)';
  return null;
}

/** What a new key is: scope `admin` unless said (what every key was before scopes), no expiry. */
export type NewApiKeyOptions = {
  name?: string | undefined;
  /** Only for demos and scripts (`DEMO_API_KEY`); otherwise 256 random bits. */
  secret?: string | undefined;
  scope?: ApiKeyScope | undefined;
  /** ISO 8601 with an offset, or null for never; must be in the future (VALIDATION_ERROR). */
  expiresAt?: string | null | undefined;
};

/**
 * Issues a key for a workspace. Only the SHA-256 of the secret is stored: the secret is 256 random
 * bits, so a fast hash is enough (nothing to brute-force), and lookups stay one index probe.
 */
export async function createApiKey(
  em: EntityManager,
  workspaceId: number,
  options: NewApiKeyOptions = {},
): Promise<CreatedApiKey> {
  const secret = options.secret ?? newSecret();
  if (secret.length < minimumSecretLength)
    throw new DomainError('VALIDATION_ERROR', `an API key must have at least ${minimumSecretLength} characters`);
  // Sent to PostgreSQL in UTC: ISO 8601 allows offsets to ±23:59, PostgreSQL reads ±15:59 at
  // most ("time zone displacement out of range", a 500 before).
  const expiresAt = options.expiresAt == null ? null : new Date(options.expiresAt);
  const refusal = expiresAt === null ? null : expiryRefusal(expiresAt);
  if (refusal)
    throw new DomainError('VALIDATION_ERROR', `expiresAt ${refusal}`, [{ path: ['expiresAt'], message: refusal }]);
  const [row] = await em.execute<ApiKeyRow[]>(
    `insert into api_key (workspace_id, id, name, hint, secret_hash, scope, expires_at)
     select id, ?, ?, ?, ?, ?, ?::timestamptz from workspace where id = ?
     returning *`,
    [
      `key_${uuidv7()}`,
      options.name ?? 'default',
      secret.slice(0, 8),
      apiKeyHash(secret),
      options.scope ?? 'admin',
      expiresAt?.toISOString() ?? null,
      workspaceId,
    ],
  );
  if (!row) throw new DomainError('NOT_FOUND', `workspace ${workspaceId} not found`);
  return { ...toApiKey(row), secret };
}

/** Every key (of one workspace, or of all for the CLI), revoked ones included, oldest first. */
export async function listApiKeys(em: EntityManager, workspaceId?: number): Promise<ApiKeyView[]> {
  const rows = await em.execute<ApiKeyRow[]>(
    `select * from api_key ${workspaceId === undefined ? '' : 'where workspace_id = ?'} order by workspace_id, id`,
    workspaceId === undefined ? [] : [workspaceId],
  );
  return rows.map(toApiKey);
}

/**
 * Revokes a key at once: the next request that uses it is refused (up to `API_KEY_CACHE_MS` later
 * in a server that cached it). Revoking twice is harmless. With `workspaceId`, a key of another
 * workspace is not found (NOT_FOUND), as every other record.
 */
export async function revokeApiKey(em: EntityManager, id: string, workspaceId?: number): Promise<ApiKeyView> {
  const [row] = await em.execute<ApiKeyRow[]>(
    `update api_key set revoked_at = coalesce(revoked_at, now())
     where id = ? ${workspaceId === undefined ? '' : 'and workspace_id = ?'} returning *`,
    workspaceId === undefined ? [id] : [id, workspaceId],
  );
  if (!row) throw new DomainError('NOT_FOUND', `API key ${id} not found`);
  return toApiKey(row);
}

/** The condition on `api_key` of a key that works: neither revoked nor expired. */
const activeKeySql = 'revoked_at is null and (expires_at is null or expires_at > now())';

/** The caller a secret stands for, or null for an unknown, revoked or expired key. */
export async function authenticateApiKey(em: EntityManager, secret: string): Promise<Caller | null> {
  if (secret.length < minimumSecretLength || secret.length > 512) return null;
  const hash = apiKeyHash(secret);
  const [row] = await em.execute<Pick<ApiKeyRow, 'workspace_id' | 'id' | 'secret_hash' | 'scope' | 'expires_at'>[]>(
    `select workspace_id, id, secret_hash, scope, expires_at from api_key
     where secret_hash = ? and ${activeKeySql}`,
    [hash],
  );
  // The index lookup already matched; the constant-time comparison keeps the check itself from
  // depending on where two hashes first differ.
  if (!row || !timingSafeEqual(Buffer.from(row.secret_hash), Buffer.from(hash))) return null;
  return { workspaceId: row.workspace_id, apiKeyId: row.id, scope: row.scope, expiresAt: toIsoOrNull(row.expires_at) };
}

/**
 * Whether an API key still works: not revoked, not expired. For what outlives one request's
 * authentication (a live event stream), so that a key revoked meanwhile stops there too.
 */
export async function isApiKeyActive(em: EntityManager, workspaceId: number, apiKeyId: string): Promise<boolean> {
  const [row] = await em.execute<{ active: boolean }[]>(
    `select 1 as active from api_key
     where workspace_id = ? and id = ? and ${activeKeySql}`,
    [workspaceId, apiKeyId],
  );
  return row !== undefined;
}

/**
 * Of the given API key ids, those that still work (not revoked, not expired), in one statement:
 * for a process's idle live event streams, checked together (`EventSeqWatch`).
 */
export async function activeApiKeyIds(em: EntityManager, apiKeyIds: readonly string[]): Promise<Set<string>> {
  if (apiKeyIds.length === 0) return new Set();
  const rows = await em.execute<{ id: string }[]>(
    `select id from api_key where id = any(?::text[]) and ${activeKeySql}`,
    [textArray(apiKeyIds)],
  );
  return new Set(rows.map((row) => row.id));
}

/**
 * Records that the keys were used now, in one statement. A key whose `last_used_at` is less than
 * a minute old is left alone, so several processes recording the same key write it once a
 * minute at most (the callers throttle too: see the API's `auth/key-use.ts`).
 */
export async function recordApiKeyUse(em: EntityManager, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await em.execute(
    `update api_key set last_used_at = now()
     where id = any(?::text[]) and (last_used_at is null or last_used_at < now() - interval '1 minute')`,
    [textArray(ids)],
  );
}
