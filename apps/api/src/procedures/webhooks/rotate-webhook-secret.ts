import { RotateWebhookSecretInput, WebhookEndpointWithSecret } from '@tagging/contracts';
import { rotateWebhookSecret } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';

export const rotateWebhookSecretProcedure = workspaceProcedure
  .meta({
    showsSecret: true,
    openapi: {
      method: 'POST',
      path: '/webhooks/endpoints/{id}/rotate-secret',
      tags: ['webhooks'],
      summary: 'Rotate a webhook endpoint’s signing secret',
      description:
        'Returns the new `secret` (shown this once). For `graceMinutes` (default 1440) deliveries carry a signature ' +
        'by the old secret too, so the receiver can switch without missing one.',
    },
  })
  .input(RotateWebhookSecretInput)
  .output(WebhookEndpointWithSecret)
  .mutation(({ ctx, input }) => rotateWebhookSecret(ctx.em, ctx.workspaceId, input));
