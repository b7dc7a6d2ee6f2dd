import { BulkUpsertSessionsInput, BulkUpsertResult } from '@tagging/contracts';
import { bulkUpsertSessions } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';
import { succeeded } from '../success-envelope.ts';

export const bulkUpsertSessionsProcedure = workspaceProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/sessions/bulk',
      tags: ['sessions'],
      errorResponses: [413],
      summary: 'Create or update up to 10,000 sessions by externalId',
    },
  })
  .input(BulkUpsertSessionsInput)
  .output(BulkUpsertResult)
  .mutation(({ ctx, input }) => succeeded(bulkUpsertSessions(ctx.em, ctx.workspaceId, input)));
