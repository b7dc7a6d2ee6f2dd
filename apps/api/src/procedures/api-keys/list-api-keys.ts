import { ApiKeyList, ListApiKeysInput } from '@tagging/contracts';
import { listApiKeys } from '@tagging/domain';
import { adminProcedure } from '../../trpc/init.ts';

export const listApiKeysProcedure = adminProcedure
  .meta({
    openapi: {
      method: 'GET',
      path: '/api-keys',
      tags: ['api-keys'],
      summary: "List the workspace's API keys (never their secrets; needs an admin key)",
      protect: true,
    },
  })
  .input(ListApiKeysInput)
  .output(ApiKeyList)
  .query(async ({ ctx }) => ({ apiKeys: await listApiKeys(ctx.em, ctx.workspaceId) }));
