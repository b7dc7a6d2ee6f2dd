import { BulkTagInput, BulkTagResult } from '@tagging/contracts';
import { bulkTag } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';
import { anyEntityApplied } from './bulk-success.ts';

export const bulkTagProcedure = workspaceProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/entity-tags/bulk/tag',
      tags: ['entity-tags'],
      errorResponses: [404, 413],
      summary: 'Tag up to 10,000 contacts and sessions',
    },
  })
  .input(BulkTagInput)
  .output(BulkTagResult)
  .mutation(async ({ ctx, input }) => {
    const result = await bulkTag(ctx.em, ctx.workspaceId, input, ctx.actor);
    return { ...result, success: anyEntityApplied(result.tagged, result.skipped) };
  });
