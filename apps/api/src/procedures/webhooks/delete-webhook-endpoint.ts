import { DeleteResult, WebhookEndpointIdInput } from '@tagging/contracts';
import { deleteWebhookEndpoint } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';
import { succeeded } from '../success-envelope.ts';

export const deleteWebhookEndpointProcedure = workspaceProcedure
  .meta({
    openapi: {
      method: 'DELETE',
      path: '/webhooks/endpoints/{id}',
      tags: ['webhooks'],
      summary: 'Delete a webhook endpoint with its deliveries',
    },
  })
  .input(WebhookEndpointIdInput)
  .output(DeleteResult)
  .mutation(({ ctx, input }) => succeeded(deleteWebhookEndpoint(ctx.em, ctx.workspaceId, input.id)));
