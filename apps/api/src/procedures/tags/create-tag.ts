import { CreateTagInput, Tag } from '@tagging/contracts';
import { createTag } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';

export const createTagProcedure = workspaceProcedure
  .meta({
    successStatus: 201,
    openapi: {
      method: 'POST',
      path: '/tags',
      tags: ['tags'],
      errorResponses: [409],
      summary: 'Create a tag',
      protect: true,
    },
  })
  .input(CreateTagInput)
  .output(Tag)
  .mutation(({ ctx, input }) => createTag(ctx.em, ctx.workspaceId, input, ctx.actor));
