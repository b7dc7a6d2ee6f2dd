import { WebhookEndpoint, WebhookEndpointIdInput } from '@tagging/contracts';
import { getWebhookEndpoint } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';

export const getWebhookEndpointProcedure = workspaceProcedure
  .meta({
    openapi: { method: 'GET', path: '/webhooks/endpoints/{id}', tags: ['webhooks'], summary: 'Get a webhook endpoint' },
  })
  .input(WebhookEndpointIdInput)
  .output(WebhookEndpoint)
  .query(({ ctx, input }) => getWebhookEndpoint(ctx.em, ctx.workspaceId, input.id));
