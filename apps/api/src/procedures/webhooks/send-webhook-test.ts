import { WebhookDelivery, WebhookEndpointIdInput } from '@tagging/contracts';
import { sendWebhookTestEvent } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';

export const sendWebhookTestProcedure = workspaceProcedure
  .meta({
    successStatus: 202,
    openapi: {
      method: 'POST',
      path: '/webhooks/endpoints/{id}/test',
      tags: ['webhooks'],
      summary: 'Send a test event to a webhook endpoint',
      description:
        'Queues a `webhook.test` delivery to this endpoint only; follow it among the endpoint’s deliveries. A disabled endpoint receives nothing: 409.',
      errorResponses: [409],
    },
  })
  .input(WebhookEndpointIdInput)
  .output(WebhookDelivery)
  .mutation(({ ctx, input }) => sendWebhookTestEvent(ctx.em, ctx.workspaceId, input.id));
