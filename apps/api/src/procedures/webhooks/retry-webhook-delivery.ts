import { WebhookDeliveryDetail, WebhookDeliveryInput } from '@tagging/contracts';
import { retryWebhookDelivery } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';

export const retryWebhookDeliveryProcedure = workspaceProcedure
  .meta({
    successStatus: 202,
    openapi: {
      errorResponses: [409],
      method: 'POST',
      path: '/webhooks/endpoints/{id}/deliveries/{deliveryId}/retry',
      tags: ['webhooks'],
      summary: 'Retry a webhook delivery now',
      description:
        'A failed delivery gets one more attempt now (the same `webhook-id`). A pending one (in flight, or waiting ' +
        'for its next attempt) or one that succeeded is a 409, and so is a failed one whose event expired.',
    },
  })
  .input(WebhookDeliveryInput)
  .output(WebhookDeliveryDetail)
  .mutation(({ ctx, input }) => retryWebhookDelivery(ctx.em, ctx.workspaceId, input.id, input.deliveryId));
