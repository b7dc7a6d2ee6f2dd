import { Tag, UpdateTagInput } from '@tagging/contracts';
import { updateTag } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';

export const updateTagProcedure = workspaceProcedure
  .meta({
    openapi: {
      method: 'PUT',
      path: '/tags/{id}',
      tags: ['tags'],
      errorResponses: [409],
      summary: 'Update a tag (partial)',
      description: 'Fields left out keep their value; `null` clears color, emoji or description.',
    },
  })
  .input(UpdateTagInput)
  .output(Tag)
  .mutation(({ ctx, input }) => updateTag(ctx.em, ctx.workspaceId, input, ctx.actor));
