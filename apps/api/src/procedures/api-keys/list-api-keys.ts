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
      // A key that is not `admin` is refused (`adminProcedure`); writes get their 403 by method.
      errorResponses: [403],
    },
  })
  .input(ListApiKeysInput)
  .output(ApiKeyList)
  .query(async ({ ctx }) => ({ apiKeys: await listApiKeys(ctx.em, ctx.workspaceId) }));
