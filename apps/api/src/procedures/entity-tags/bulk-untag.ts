import { BulkTagInput, BulkUntagResult } from '@tagging/contracts';
import { bulkUntag } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';
import { anyEntityApplied } from './bulk-success.ts';

export const bulkUntagProcedure = workspaceProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/entity-tags/bulk/untag',
      tags: ['entity-tags'],
      errorResponses: [404, 413],
      summary: 'Untag up to 10,000 contacts and sessions',
    },
  })
  .input(BulkTagInput)
  .output(BulkUntagResult)
  .mutation(async ({ ctx, input }) => {
    const result = await bulkUntag(ctx.em, ctx.workspaceId, input);
    return { ...result, success: anyEntityApplied(result.untagged, result.skipped) };
  });
