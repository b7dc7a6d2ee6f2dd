import { WebhookEndpointList } from '@tagging/contracts';
import { listWebhookEndpoints } from '@tagging/domain';
import { z } from 'zod';
import { workspaceProcedure } from '../../trpc/init.ts';

export const listWebhookEndpointsProcedure = workspaceProcedure
  .meta({
    openapi: { method: 'GET', path: '/webhooks/endpoints', tags: ['webhooks'], summary: 'List webhook endpoints' },
  })
  .input(z.object({}))
  .output(WebhookEndpointList)
  .query(async ({ ctx }) => ({ endpoints: await listWebhookEndpoints(ctx.em, ctx.workspaceId) }));
