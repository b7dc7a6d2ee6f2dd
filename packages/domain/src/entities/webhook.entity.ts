import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { workspaceKey } from './workspace-key.ts';
import { timestamps } from './timestamps.ts';

/**
 * A workspace's webhook endpoint. `secret` signs every delivery; after a rotation
 * `previousSecret` signs too until `previousSecretExpiresAt`. `disabledAt`/`disabledReason` are
 * set by an operator or by the delivery worker when the endpoint kept failing.
 */
export const WebhookEndpoint = defineEntity({
  name: 'WebhookEndpoint',
  tableName: 'webhook_endpoint',
  properties: {
    ...workspaceKey(),
    url: p.text(),
    description: p.text().nullable(),
    eventTypes: p.array().columnType('text[]').defaultRaw(`'{}'`),
    secret: p.text(),
    previousSecret: p.text().nullable(),
    previousSecretExpiresAt: p.datetime().columnType('timestamptz').nullable(),
    disabledAt: p.datetime().columnType('timestamptz').nullable(),
    disabledReason: p.text().nullable(),
    /** The first failed attempt since the last success; the endpoint is disabled when it gets old. */
    failingSince: p.datetime().columnType('timestamptz').nullable(),
    ...timestamps(),
  },
});
export type WebhookEndpoint = InferEntity<typeof WebhookEndpoint>;

/** One event to one endpoint: pending until an attempt succeeds or the attempts run out. */
export const WebhookDelivery = defineEntity({
  name: 'WebhookDelivery',
  tableName: 'webhook_delivery',
  properties: {
    ...workspaceKey(),
    endpointId: p.text(),
    /** The event's id, sent as `webhook-id` on every attempt. */
    eventId: p.text(),
    eventType: p.text(),
    /** The body of a test event (not in the feed); null for feed events, read from `event`. */
    payload: p.json().nullable(),
    status: p.enum(['pending', 'succeeded', 'failed']).default('pending'),
    attempts: p.integer().default(0),
    nextAttemptAt: p.datetime().columnType('timestamptz').defaultRaw('now()'),
    /**
     * The claim of the attempt in flight: a claim moves `nextAttemptAt` to the end of its lease,
     * and only the claim that is still current records its outcome.
     */
    claimId: p.text().nullable(),
    lastStatusCode: p.integer().nullable(),
    lastError: p.text().nullable(),
    deliveredAt: p.datetime().columnType('timestamptz').nullable(),
    /**
     * The attempt that succeeded, kept on the delivery instead of in a `webhook_attempt` row of its
     * own (a success ends a delivery, so it is always its last attempt): the one row fewer, with
     * its two index entries and its foreign key check, per delivery (docs/DECISIONS.md, "A successful
     * attempt is kept on its delivery row").
     * It started `deliveredLatencyMs` before `deliveredAt`, with status `lastStatusCode`. Null on
     * deliveries that succeeded before this column, whose success is a `webhook_attempt` row.
     */
    deliveredLatencyMs: p.integer().nullable(),
    deliveredResponseBody: p.text().nullable(),
    ...timestamps(),
  },
  indexes: [
    // The claim takes turns between endpoints: each one's due deliveries in time order, and the
    // attempts it has in flight (its cap), from two small per-endpoint ranges.
    {
      name: 'webhook_delivery_due_idx',
      properties: ['workspace', 'endpointId', 'nextAttemptAt'],
      where: `status = 'pending'`,
    },
    {
      name: 'webhook_delivery_in_flight_idx',
      properties: ['workspace', 'endpointId', 'nextAttemptAt'],
      where: `claim_id is not null`,
    },
    { name: 'webhook_delivery_endpoint_idx', properties: ['workspace', 'endpointId', 'id'] },
    { name: 'webhook_delivery_updated_idx', properties: ['updatedAt'], where: `status <> 'pending'` },
  ],
});
export type WebhookDelivery = InferEntity<typeof WebhookDelivery>;

/**
 * One failed HTTP attempt of a delivery, as it went: time, status, latency, the start of the
 * response (an attempt that succeeded is on its delivery: `deliveredLatencyMs`).
 */
export const WebhookAttempt = defineEntity({
  name: 'WebhookAttempt',
  tableName: 'webhook_attempt',
  properties: {
    ...workspaceKey(),
    deliveryId: p.text(),
    attemptedAt: p.datetime().columnType('timestamptz').defaultRaw('now()'),
    statusCode: p.integer().nullable(),
    latencyMs: p.integer(),
    responseBody: p.text().nullable(),
    error: p.text().nullable(),
  },
  indexes: [{ name: 'webhook_attempt_delivery_idx', properties: ['workspace', 'deliveryId', 'attemptedAt'] }],
});
export type WebhookAttempt = InferEntity<typeof WebhookAttempt>;
