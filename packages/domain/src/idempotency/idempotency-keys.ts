import { randomUUID } from 'node:crypto';
import { deleteInBatches } from '../db/batched-delete.ts';
import type { Database } from '../db/database.ts';

/**
 * One request that carries an `Idempotency-Key`: whose key it is (the workspace and API key of
 * the caller), the key, and the fingerprint (a hash of method, URL and body) another request
 * with the same key must match.
 */
export type IdempotentRequest = { workspaceId: number; apiKeyId: string; key: string; fingerprint: string };

/** A response kept for replay: HTTP status, the headers replayed with it, and the body as sent (UTF-8). */
export type StoredResponse = { status: number; headers: Record<string, string>; body: string };

/**
 * What claiming a key found: `claimed` (this request runs; `claim` is its token for storing or
 * releasing the key), `replay` (the first request finished: answer its response), `running`
 * (the first request is still running: 409), `mismatch` (the key was used on another request:
 * 422).
 */
export type IdempotencyClaim =
  | { kind: 'claimed'; claim: string }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'running' }
  | { kind: 'mismatch' };

/**
 * How long a key is kept (`ttlMs`, from its first request) and how long a claim may stay
 * without a response before another request may take the key over (`claimTimeoutMs`: the
 * process that held it died or lost its database).
 */
export type IdempotencySettings = { ttlMs: number; claimTimeoutMs: number };

export const defaultIdempotencySettings: IdempotencySettings = {
  ttlMs: 24 * 60 * 60 * 1000,
  claimTimeoutMs: 5 * 60 * 1000,
};

type ClaimRow = {
  claimed: string | null;
  fingerprint: string | null;
  status: number | null;
  headers: Record<string, string> | string | null;
  body: string | null;
};

/**
 * Claims `request.key` for this request, or says what holds it, in one statement: `insert … on
 * conflict do update … where` takes a key that is new, expired or whose claim timed out, and
 * the same statement reads the row that holds it otherwise. Two processes claiming at once
 * wait on the row's insert; exactly one gets it. (A key that changed hands between the
 * statement's snapshot and its insert reads as nothing: the claim is simply tried again.)
 */
export async function claimIdempotencyKey(
  db: Database,
  request: IdempotentRequest,
  settings: IdempotencySettings = defaultIdempotencySettings,
): Promise<IdempotencyClaim> {
  const { workspaceId, apiKeyId, key, fingerprint } = request;
  for (let attempt = 0; ; attempt++) {
    const claim = randomUUID();
    const [row] = await db.fork().execute<ClaimRow[]>(
      `with claimed as (
         insert into idempotency_key (workspace_id, api_key_id, key, fingerprint, claim, expires_at)
         values (?, ?, ?, ?, ?, now() + ? * interval '1 millisecond')
         on conflict (workspace_id, api_key_id, key) do update
           set fingerprint = excluded.fingerprint, claim = excluded.claim, status = null, headers = null,
               body = null, created_at = now(), expires_at = excluded.expires_at
           where idempotency_key.expires_at <= now()
              or (idempotency_key.status is null and idempotency_key.created_at < now() - ? * interval '1 millisecond')
         returning claim)
       select (select claim from claimed) as claimed, k.fingerprint, k.status, k.headers, k.body
       from (select 1) as one
       left join idempotency_key k on k.workspace_id = ? and k.api_key_id = ? and k.key = ?
         and not exists (select 1 from claimed)`,
      [
        workspaceId,
        apiKeyId,
        key,
        fingerprint,
        claim,
        settings.ttlMs,
        settings.claimTimeoutMs,
        workspaceId,
        apiKeyId,
        key,
      ],
    );
    if (row?.claimed) return { kind: 'claimed', claim: row.claimed };
    if (row?.fingerprint != null) {
      if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (row.status === null) return { kind: 'running' };
      const headers =
        typeof row.headers === 'string' ? (JSON.parse(row.headers) as Record<string, string>) : row.headers;
      return { kind: 'replay', response: { status: row.status, headers: headers ?? {}, body: row.body ?? '' } };
    }
    // Neither claimed nor visible: another request committed or released the key meanwhile.
    if (attempt >= 3) return { kind: 'running' };
  }
}

/** Stores the first response of a claimed key, for replay until the key expires; a lost claim stores nothing. */
export async function storeIdempotentResponse(
  db: Database,
  request: IdempotentRequest,
  claim: string,
  response: StoredResponse,
): Promise<void> {
  await db.fork().execute(
    `update idempotency_key set status = ?, headers = ?::jsonb, body = ?, claim = null
       where workspace_id = ? and api_key_id = ? and key = ? and claim = ?`,
    [
      response.status,
      JSON.stringify(response.headers),
      response.body,
      request.workspaceId,
      request.apiKeyId,
      request.key,
      claim,
    ],
  );
}

/**
 * Forgets a claimed key without a response (the request failed in a way worth retrying: a 5xx,
 * a 429), so that the next request with it runs again.
 */
export async function releaseIdempotencyKey(db: Database, request: IdempotentRequest, claim: string): Promise<void> {
  await db
    .fork()
    .execute(`delete from idempotency_key where workspace_id = ? and api_key_id = ? and key = ? and claim = ?`, [
      request.workspaceId,
      request.apiKeyId,
      request.key,
      claim,
    ]);
}

const keysPerStatement = 1000;

/**
 * Deletes expired keys, a bounded statement at a time, walking the expiry index; returns how
 * many went. Rows are deleted by `ctid` (a TID scan): matching them back by primary key made
 * PostgreSQL hash-join the whole table (docs/QUERY-PLANS.md).
 */
export async function deleteExpiredIdempotencyKeys(db: Database): Promise<number> {
  return deleteInBatches(
    db,
    `delete from idempotency_key where ctid = any (array(
       select ctid from idempotency_key where expires_at <= now() order by expires_at limit ?))
     returning key`,
    [],
    keysPerStatement,
  );
}
