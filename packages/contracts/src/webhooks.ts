import { z } from 'zod';
import { queryInteger } from './query-integers.ts';
import { WebhookEventType } from './events.ts';
import { idPrefixes, prefixedId } from './ids.ts';
import { isStorableText, Text } from './text.ts';

export const WebhookEndpointId = prefixedId(idPrefixes.webhookEndpoint);
export const WebhookDeliveryId = prefixedId(idPrefixes.webhookDelivery);

/**
 * Characters a webhook URL may not hold anywhere, checked on the raw string before it is parsed:
 * a URL parser silently drops tabs, line breaks and leading or trailing spaces and control
 * characters (`\u000b`, `\u0085` …), and keeps a no-break space as is, so the URL stored would
 * not be the URL given (or not one a person can read); PostgreSQL refuses NUL (a 500 before).
 * Any control character (Cc), format character (Cf: zero-width and bidi marks) and any space or
 * separator (Z and `\s`, NBSP included) is refused.
 */
const urlForbiddenCharacter = /[\p{Cc}\p{Cf}\p{Z}\s]/u;

/**
 * An endpoint's URL: at most 2,000 characters, no whitespace or control character (above), http(s)
 * only, checked in that order so each refusal says what is wrong. Where it may point is checked by
 * the server.
 */
export const WebhookUrl = z
  .string()
  .max(2000, { message: 'must be at most 2000 characters' })
  .refine((url) => !urlForbiddenCharacter.test(url), {
    message: 'must not contain spaces, line breaks or other control or invisible characters',
    abort: true,
  })
  // A lone surrogate was stored as U+FFFD and sent as `%EF%BF%BD`: not the URL given (attack).
  .refine(isStorableText, { message: 'must not contain unpaired surrogates', abort: true })
  // Reads show a password in a URL as `***`: one sent back as read would replace the real one.
  .refine((url) => !url.includes(':***@'), {
    message: 'the password reads show as *** is not the password: send the URL with the real one',
    abort: true,
  })
  // The input's JSON Schema (OpenAPI) is this side of the pipe: it says what the pipe checks.
  .meta({ format: 'uri' })
  .pipe(z.url({ protocol: /^https?$/, message: 'must be an http or https URL' }));

/** The types an endpoint receives; empty or absent: every type. */
export const WebhookEventTypes = z.array(WebhookEventType).max(50);

export const CreateWebhookEndpointInput = z.strictObject({
  url: WebhookUrl,
  eventTypes: WebhookEventTypes.optional(),
  description: Text.max(1000).nullish(),
});
export type CreateWebhookEndpointInput = z.infer<typeof CreateWebhookEndpointInput>;

/**
 * An endpoint as every read shows it (never its secret; a password in its URL as `***`).
 * `disabled` endpoints receive nothing; `disabledReason` says why (an operator, or the deliveries
 * that kept failing since `failingSince`). During a secret rotation, `previousSecretExpiresAt` is when the old secret
 * stops signing.
 */
export const WebhookEndpoint = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  eventTypes: z.array(z.string()),
  disabled: z.boolean(),
  disabledAt: z.string().nullable(),
  disabledReason: z.string().nullable(),
  failingSince: z.string().nullable(),
  previousSecretExpiresAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>;

/** A created endpoint, or a rotated secret: the signing secret (`whsec_…`), shown this once. */
export const WebhookEndpointWithSecret = WebhookEndpoint.extend({ secret: z.string() });
export type WebhookEndpointWithSecret = z.infer<typeof WebhookEndpointWithSecret>;

export const WebhookEndpointIdInput = z.object({ id: WebhookEndpointId });
export type WebhookEndpointIdInput = z.infer<typeof WebhookEndpointIdInput>;

/** Changes the fields present; `disabled: false` re-enables (and forgets the failure streak). */
export const UpdateWebhookEndpointInput = z.strictObject({
  id: WebhookEndpointId,
  url: WebhookUrl.optional(),
  eventTypes: WebhookEventTypes.optional(),
  description: Text.max(1000).nullish(),
  disabled: z.boolean().optional(),
});
export type UpdateWebhookEndpointInput = z.infer<typeof UpdateWebhookEndpointInput>;

/**
 * Rotates the signing secret: a new one signs from now, and the old one too for
 * `graceMinutes` (default 1,440: a day; 0 ends it at once).
 */
export const RotateWebhookSecretInput = z.strictObject({
  id: WebhookEndpointId,
  graceMinutes: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60)
    .default(24 * 60),
});
export type RotateWebhookSecretInput = z.infer<typeof RotateWebhookSecretInput>;

export const WebhookEndpointList = z.object({ endpoints: z.array(WebhookEndpoint) });
export type WebhookEndpointList = z.infer<typeof WebhookEndpointList>;

export const webhookDeliveryStatuses = ['pending', 'succeeded', 'failed'] as const;

/** One HTTP attempt: when, the status (null when no response), how long, the start of the response. */
export const WebhookAttempt = z.object({
  attemptedAt: z.string().meta({ description: 'When the attempt started (ISO 8601); it ended `latencyMs` later.' }),
  statusCode: z.number().int().nullable(),
  latencyMs: z
    .number()
    .int()
    .meta({ description: 'From the start of the attempt to its end (response read, timeout or error), ms.' }),
  responseBody: z.string().nullable().meta({
    description: 'The start of the response (2,000 characters); NUL and broken characters are shown as U+FFFD.',
  }),
  error: z.string().nullable(),
});
export type WebhookAttempt = z.infer<typeof WebhookAttempt>;

/**
 * One event to one endpoint. `pending` until an attempt gets a 2xx (`succeeded`) or the attempts
 * run out (`failed`; retry it by hand). `eventId` is the `webhook-id` of every attempt.
 */
export const WebhookDelivery = z.object({
  id: z.string(),
  endpointId: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  status: z.enum(webhookDeliveryStatuses),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: z
    .string()
    .nullable()
    .meta({ description: 'When the successful attempt’s response arrived (ISO 8601).' }),
  createdAt: z.string(),
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const ListWebhookDeliveriesInput = z.object({
  id: WebhookEndpointId,
  status: z.enum(webhookDeliveryStatuses).optional(),
  limit: queryInteger(1, 200).default(50),
  cursor: Text.min(1).max(500).optional(),
});
export type ListWebhookDeliveriesInput = z.infer<typeof ListWebhookDeliveriesInput>;

export const WebhookDeliveryPage = z.object({
  deliveries: z.array(WebhookDelivery),
  nextCursor: z.string().nullable(),
});
export type WebhookDeliveryPage = z.infer<typeof WebhookDeliveryPage>;

export const WebhookDeliveryInput = z.object({ id: WebhookEndpointId, deliveryId: WebhookDeliveryId });
export type WebhookDeliveryInput = z.infer<typeof WebhookDeliveryInput>;

/** A delivery with every attempt so far, oldest first. */
export const WebhookDeliveryDetail = WebhookDelivery.extend({ attemptLog: z.array(WebhookAttempt) });
export type WebhookDeliveryDetail = z.infer<typeof WebhookDeliveryDetail>;
