import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Workspace } from './workspace.entity.ts';
import { createdAt } from './timestamps.ts';

/**
 * One `Idempotency-Key` an API key sent on a POST (issue 19): claimed while its first request
 * runs (`claim` set, `status` null), then the first response (status, replayed headers, body)
 * until `expires_at`. Keyed by the workspace, the API key and the key the client chose, so two
 * integrators never share a key. `fingerprint` is the hash of the request (method, URL, body)
 * that another request with the key must match.
 */
export const IdempotencyKey = defineEntity({
  name: 'IdempotencyKey',
  tableName: 'idempotency_key',
  properties: {
    workspace: () => p.manyToOne(Workspace).primary().deleteRule('cascade'),
    apiKeyId: p.text().primary(),
    key: p.text().primary(),
    fingerprint: p.text(),
    /** The token of the request that holds the key while it runs; only it may store the response. */
    claim: p.text().nullable(),
    /** The first response's HTTP status; null while the first request runs. */
    status: p.integer().nullable(),
    headers: p.json<Record<string, string>>().columnType('jsonb').nullable(),
    body: p.text().nullable(),
    createdAt: createdAt(),
    expiresAt: p.datetime().columnType('timestamptz'),
  },
  // The service deletes expired keys by age (jobs/job-retention.ts).
  indexes: [{ name: 'idempotency_key_expires_idx', properties: ['expiresAt'] }],
});
export type IdempotencyKey = InferEntity<typeof IdempotencyKey>;
