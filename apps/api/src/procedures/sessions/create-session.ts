import { CreateSessionInput, Session } from '@tagging/contracts';
import { createSession } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';

export const createSessionProcedure = workspaceProcedure
  .meta({
    successStatus: 201,
    openapi: {
      method: 'POST',
      path: '/sessions',
      tags: ['sessions'],
      errorResponses: [404, 409],
      summary: 'Create a session, optionally linked to a contact',
    },
  })
  .input(CreateSessionInput)
  .output(Session)
  .mutation(({ ctx, input }) => createSession(ctx.em, ctx.workspaceId, input));
