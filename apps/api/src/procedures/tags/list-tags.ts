import { ListTagsInput, TagPage } from '@tagging/contracts';
import { listTags } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';

export const listTagsProcedure = workspaceProcedure
  .meta({
    openapi: {
      method: 'GET',
      path: '/tags',
      tags: ['tags'],
      summary: 'List tags',
      description:
        'In display order; `q` is a case-insensitive name prefix (autocomplete), `type` filters by tag type.',
    },
  })
  .input(ListTagsInput)
  .output(TagPage)
  .query(({ ctx, input }) => listTags(ctx.em, ctx.workspaceId, input));
