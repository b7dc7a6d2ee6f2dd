import { ListWebhookDeliveriesInput, WebhookDeliveryPage } from '@tagging/contracts';
import { listWebhookDeliveries } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';

export const listWebhookDeliveriesProcedure = workspaceProcedure
  .meta({
    openapi: {
      method: 'GET',
      path: '/webhooks/endpoints/{id}/deliveries',
      tags: ['webhooks'],
      summary: 'List a webhook endpoint’s deliveries, newest first',
    },
  })
  .input(ListWebhookDeliveriesInput)
  .output(WebhookDeliveryPage)
  .query(({ ctx, input }) => listWebhookDeliveries(ctx.em, ctx.workspaceId, input));
