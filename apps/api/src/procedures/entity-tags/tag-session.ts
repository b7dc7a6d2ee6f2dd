import { TagSessionInput, TagSessionResult } from '@tagging/contracts';
import { tagSession } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';
import { withJobLink } from '../resource-links.ts';
import { succeeded } from '../success-envelope.ts';

export const tagSessionProcedure = workspaceProcedure
  .meta({
    successStatus: 201,
    openapi: {
      method: 'POST',
      path: '/entity-tags/sessions/{sessionId}/tags',
      tags: ['entity-tags'],
      errorResponses: [409],
      summary: 'Tag a session, optionally its contact too',
    },
  })
  .input(TagSessionInput)
  .output(TagSessionResult)
  .mutation(({ ctx, input }) =>
    succeeded(withJobLink(ctx.workspaceId, tagSession(ctx.em, ctx.workspaceId, input, ctx.propagation, ctx.actor))),
  );
