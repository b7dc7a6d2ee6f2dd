import { CreateWebhookEndpointInput, WebhookEndpointWithSecret } from '@tagging/contracts';
import { createWebhookEndpoint } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';
import { checkWebhookUrl } from '../../webhooks/url-guard.ts';

export const createWebhookEndpointProcedure = workspaceProcedure
  .meta({
    showsSecret: true,
    successStatus: 201,
    openapi: {
      errorResponses: [409],
      method: 'POST',
      path: '/webhooks/endpoints',
      tags: ['webhooks'],
      summary: 'Create a webhook endpoint',
      description:
        'Deliveries of the listed `eventTypes` (all when empty) are POSTed to `url`, signed by the Standard Webhooks ' +
        'specification with the returned `secret`, which is shown this once. A URL that resolves to a loopback, ' +
        'private or link-local address is refused (400). A workspace has at most 50 endpoints (409 beyond).',
    },
  })
  .input(CreateWebhookEndpointInput)
  .output(WebhookEndpointWithSecret)
  .mutation(async ({ ctx, input }) => {
    await checkWebhookUrl(input.url, ctx.webhooks.allowPrivate);
    return createWebhookEndpoint(ctx.em, ctx.workspaceId, input);
  });
