import { ApiKey, ApiKeyIdInput } from '@tagging/contracts';
import { revokeApiKey } from '@tagging/domain';
import { adminProcedure } from '../../trpc/init.ts';

export const revokeApiKeyProcedure = adminProcedure
  .meta({
    openapi: {
      method: 'DELETE',
      path: '/api-keys/{id}',
      tags: ['api-keys'],
      summary: 'Revoke an API key at once (revoking twice is harmless; needs an admin key)',
      protect: true,
    },
  })
  .input(ApiKeyIdInput)
  .output(ApiKey)
  .mutation(({ ctx, input }) => revokeApiKey(ctx.em, input.id, ctx.workspaceId));
