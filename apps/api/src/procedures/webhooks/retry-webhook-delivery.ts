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
      description: 'A failed delivery gets one more attempt, a pending one goes at once; one that succeeded is a 409.',
    },
  })
  .input(WebhookDeliveryInput)
  .output(WebhookDeliveryDetail)
  .mutation(({ ctx, input }) => retryWebhookDelivery(ctx.em, ctx.workspaceId, input.id, input.deliveryId));
