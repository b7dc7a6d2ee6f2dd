import { UpdateSessionInput, Session } from '@tagging/contracts';
import { updateSession } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';

export const updateSessionProcedure = workspaceProcedure
  .meta({
    openapi: {
      method: 'PATCH',
      path: '/sessions/{id}',
      tags: ['sessions'],
      errorResponses: [409],
      summary: 'Update a session; contactId relinks it, null unlinks',
    },
  })
  .input(UpdateSessionInput)
  .output(Session)
  .mutation(({ ctx, input }) => updateSession(ctx.em, ctx.workspaceId, input));
