import { BulkPatchTagsInput, BulkPatchTagsResult } from '@tagging/contracts';
import { bulkPatchTags } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';

export const bulkPatchTagsProcedure = workspaceProcedure
  .meta({
    openapi: {
      method: 'PATCH',
      path: '/tags/bulk',
      tags: ['tags'],
      errorResponses: [404],
      summary: 'Patch the order and description of many tags, all or nothing',
    },
  })
  .input(BulkPatchTagsInput)
  .output(BulkPatchTagsResult)
  .mutation(async ({ ctx, input }) => ({
    success: true as const,
    patched: await bulkPatchTags(ctx.em, ctx.workspaceId, input, ctx.actor),
  }));
