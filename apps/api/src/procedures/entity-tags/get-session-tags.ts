import { SessionTagsInput, AppliedTags } from '@tagging/contracts';
import { sessionTags } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';

export const getSessionTagsProcedure = workspaceProcedure
  .meta({
    openapi: {
      method: 'GET',
      path: '/entity-tags/sessions/{sessionId}/tags',
      tags: ['entity-tags'],
      summary: 'Get the tags of a session, direct and inherited',
    },
  })
  .input(SessionTagsInput)
  .output(AppliedTags)
  .query(({ ctx, input }) => sessionTags(ctx.em, ctx.workspaceId, input.sessionId));
