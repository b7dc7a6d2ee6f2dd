import { WebhookDeliveryDetail, WebhookDeliveryInput } from '@tagging/contracts';
import { getWebhookDelivery } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';

export const getWebhookDeliveryProcedure = workspaceProcedure
  .meta({
    openapi: {
      method: 'GET',
      path: '/webhooks/endpoints/{id}/deliveries/{deliveryId}',
      tags: ['webhooks'],
      summary: 'Get a webhook delivery with every attempt (time, status, latency, start of the response)',
    },
  })
  .input(WebhookDeliveryInput)
  .output(WebhookDeliveryDetail)
  .query(({ ctx, input }) => getWebhookDelivery(ctx.em, ctx.workspaceId, input.id, input.deliveryId));
