import { SessionIdInput, DeleteResult } from '@tagging/contracts';
import { deleteSession } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';
import { succeeded } from '../success-envelope.ts';

export const deleteSessionProcedure = workspaceProcedure
  .meta({
    openapi: { method: 'DELETE', path: '/sessions/{id}', tags: ['sessions'], summary: 'Delete a session and its tags' },
  })
  .input(SessionIdInput)
  .output(DeleteResult)
  .mutation(({ ctx, input }) => succeeded(deleteSession(ctx.em, ctx.workspaceId, input.id)));
