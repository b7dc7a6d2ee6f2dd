import { UntagSessionInput, UntagSessionResult } from '@tagging/contracts';
import { untagSession } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';
import { succeeded } from '../success-envelope.ts';

export const untagSessionProcedure = workspaceProcedure
  .meta({
    openapi: {
      method: 'DELETE',
      path: '/entity-tags/sessions/{sessionId}/tags/{tagId}',
      tags: ['entity-tags'],
      errorResponses: [409],
      summary: 'Remove a direct tag from a session',
    },
  })
  .input(UntagSessionInput)
  .output(UntagSessionResult)
  .mutation(({ ctx, input }) => succeeded(untagSession(ctx.em, ctx.workspaceId, input)));
