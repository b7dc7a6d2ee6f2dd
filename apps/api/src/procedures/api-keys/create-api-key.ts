import { CreateApiKeyInput, CreatedApiKey } from '@tagging/contracts';
import { createApiKey } from '@tagging/domain';
import { adminProcedure } from '../../trpc/init.ts';

export const createApiKeyProcedure = adminProcedure
  .meta({
    showsSecret: true,
    successStatus: 201,
    openapi: {
      method: 'POST',
      path: '/api-keys',
      tags: ['api-keys'],
      summary: 'Create an API key of the workspace; its secret is in this response only (needs an admin key)',
      protect: true,
    },
  })
  .input(CreateApiKeyInput)
  .output(CreatedApiKey)
  .mutation(({ ctx, input }) => createApiKey(ctx.em, ctx.workspaceId, input));
