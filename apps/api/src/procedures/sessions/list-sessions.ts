import { ListSessionsInput, SessionPage } from '@tagging/contracts';
import { listSessions } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';

export const listSessionsProcedure = workspaceProcedure
  .meta({
    openapi: {
      method: 'GET',
      path: '/sessions',
      tags: ['sessions'],
      summary: 'List sessions (keyset pagination), optionally of one contact',
    },
  })
  .input(ListSessionsInput)
  .output(SessionPage)
  .query(({ ctx, input }) => listSessions(ctx.em, ctx.workspaceId, input));
