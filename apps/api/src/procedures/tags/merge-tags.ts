import { MergeTagsInput, MergeTagsResult } from '@tagging/contracts';
import { mergeTags } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';
import { withJobLink } from '../resource-links.ts';
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
        'Every contact and session tag of `sourceTagIds` moves to this tag (an entity that ends up with it twice keeps one row, direct over inherited), then those tags are deleted; one transaction. When the merged tags have more entity tags than the fan-out limit, the move continues in a background job: the answer has `deferred` (follow `deferred.statusUrl`), and the merged tags are deleted when it is done.',
    },
  })
  .input(MergeTagsInput)
  .output(MergeTagsResult)
  .mutation(({ ctx, input }) =>
    succeeded(withJobLink(ctx.workspaceId, mergeTags(ctx.em, ctx.workspaceId, input, ctx.propagation))),
  );
