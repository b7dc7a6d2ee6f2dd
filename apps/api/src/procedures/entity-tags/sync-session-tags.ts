import { SyncSessionTagsInput, SyncSessionTagsResult } from '@tagging/contracts';
import { syncSessionTags } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';
import { succeeded } from '../success-envelope.ts';

export const syncSessionTagsProcedure = workspaceProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/entity-tags/sessions/{sessionId}/sync-tags',
      tags: ['entity-tags'],
      summary: 'Recompute the inherited tags of a session',
    },
  })
  .input(SyncSessionTagsInput)
  .output(SyncSessionTagsResult)
  .mutation(({ ctx, input }) => succeeded(syncSessionTags(ctx.em, ctx.workspaceId, input.sessionId)));
