import { eventDataExamples, eventDataSchemas, webhookEventTypes, type WebhookEventType } from '@tagging/contracts';
import type { oas31 } from 'zod-openapi';
import { z } from 'zod';

/** A whole webhook body for the example of `type`, as a receiver gets it. */
export const eventBodyExample = (type: WebhookEventType, seq = 42) => ({
  id: 'evt_0193a1b2-eeee-7fff-8000-111111111111',
  type,
  workspaceId: 1,
  seq: type === 'webhook.test' ? 0 : seq,
  timestamp: '2026-11-30T12:00:00.000Z',
  data: eventDataExamples[type],
});

const signatureHeaders: Record<string, oas31.HeaderObject> = {
  'webhook-id': {
    description: 'The event id: the same on every attempt of a delivery (deduplicate on it).',
    schema: { type: 'string' },
  },
  'webhook-timestamp': {
    description: 'Seconds since the epoch, when this attempt was signed.',
    schema: { type: 'string' },
  },
  'webhook-signature': {
    description:
      'Standard Webhooks signatures (`v1,<base64>`), space-separated: one per secret, two during a rotation’s grace period.',
    schema: { type: 'string' },
  },
};

/**
 * The OpenAPI 3.1 `webhooks` section: one entry per event type, the POST a receiver gets, with
 * the Standard Webhooks headers, the body's schema (from the contracts) and one example. Schemas
 * that carry a component name (openapi/component-names.ts) are referenced as components; those
 * the routes do not already define are returned in `schemas`, for the document to add.
 */
export function eventWebhooks(): {
  webhooks: Record<string, oas31.PathItemObject>;
  schemas: Record<string, oas31.SchemaObject>;
} {
  const schemas: Record<string, oas31.SchemaObject> = {};
  const webhooks = Object.fromEntries(
    webhookEventTypes.map((type) => {
      const body = z.object({
        id: z.string(),
        type: z.literal(type),
        workspaceId: z.number().int(),
        seq: z.number().int(),
        timestamp: z.string(),
        data: eventDataSchemas[type],
      });
      // Named schemas come out as `#/$defs/<name>`: in the document they are components.
      const json = JSON.stringify(z.toJSONSchema(body, { io: 'output', unrepresentable: 'any' }));
      const { $schema, $defs, ...schema } = JSON.parse(
        json.replaceAll('"#/$defs/', '"#/components/schemas/'),
      ) as oas31.SchemaObject & { $schema?: string; $defs?: Record<string, oas31.SchemaObject> };
      void $schema;
      Object.assign(schemas, $defs);
      const operation: oas31.OperationObject = {
        operationId: `webhook.${type}`,
        summary: `${type}`,
        tags: ['events'],
        // The receiver authenticates the sender by the signature, not by a key.
        security: [],
        parameters: Object.entries(signatureHeaders).map(([name, header]) => ({
          name,
          in: 'header' as const,
          required: true,
          ...header,
        })),
        requestBody: {
          required: true,
          content: { 'application/json': { schema, example: eventBodyExample(type) } },
        },
        responses: {
          '200': { description: 'Any 2xx acknowledges the delivery; anything else (or no answer in time) is retried.' },
        },
      };
      return [type, { post: operation }];
    }),
  );
  return { webhooks, schemas };
}
