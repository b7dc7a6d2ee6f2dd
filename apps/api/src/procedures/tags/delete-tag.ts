import { DeleteTagResult, TagIdInput } from '@tagging/contracts';
import { deleteTag } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';
import { succeeded } from '../success-envelope.ts';

export const deleteTagProcedure = workspaceProcedure
  .meta({
    openapi: {
      method: 'DELETE',
      path: '/tags/{id}',
      tags: ['tags'],
      // A tag a merge job or an unfinished export holds (`tag-uses.ts` in the domain).
      errorResponses: [409],
      summary: 'Delete a tag and all its contact and session associations',
    },
  })
  .input(TagIdInput)
  .output(DeleteTagResult)
  .mutation(({ ctx, input }) => succeeded(deleteTag(ctx.em, ctx.workspaceId, input.id)));
