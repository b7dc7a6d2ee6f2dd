import { MergeTagsInput, MergeTagsResult } from '@tagging/contracts';
import { mergeTags } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';
import { succeeded } from '../success-envelope.ts';

export const mergeTagsProcedure = workspaceProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/tags/{id}/merge',
      tags: ['tags'],
      errorResponses: [404],
      summary: 'Merge tags into this one',
      description:
        'Every contact and session tag of `sourceTagIds` moves to this tag (an entity that ends up with it twice keeps one row, direct over inherited), then those tags are deleted; one transaction.',
    },
  })
  .input(MergeTagsInput)
  .output(MergeTagsResult)
  .mutation(({ ctx, input }) => succeeded(mergeTags(ctx.em, ctx.workspaceId, input)));
