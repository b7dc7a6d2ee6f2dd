import { UpdateWebhookEndpointInput, WebhookEndpoint } from '@tagging/contracts';
import { updateWebhookEndpoint } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';
import { checkWebhookUrl } from '../../webhooks/url-guard.ts';

export const updateWebhookEndpointProcedure = workspaceProcedure
  .meta({
    openapi: {
      method: 'PATCH',
      path: '/webhooks/endpoints/{id}',
      tags: ['webhooks'],
      summary: 'Update, disable or re-enable a webhook endpoint',
      description:
        '`disabled: true` stops deliveries (they wait, pending); `disabled: false` re-enables the endpoint, clears an ' +
        'automatic disable and sends what waited.',
    },
  })
  .input(UpdateWebhookEndpointInput)
  .output(WebhookEndpoint)
  .mutation(async ({ ctx, input }) => {
    if (input.url !== undefined) await checkWebhookUrl(input.url, ctx.webhooks.allowPrivate);
    return updateWebhookEndpoint(ctx.em, ctx.workspaceId, input);
  });
