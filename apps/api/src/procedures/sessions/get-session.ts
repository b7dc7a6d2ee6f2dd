import { SessionIdInput, Session } from '@tagging/contracts';
import { getSession } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';

export const getSessionProcedure = workspaceProcedure
  .meta({
    openapi: { method: 'GET', path: '/sessions/{id}', tags: ['sessions'], summary: 'Get a session' },
  })
  .input(SessionIdInput)
  .output(Session)
  .query(({ ctx, input }) => getSession(ctx.em, ctx.workspaceId, input.id));
