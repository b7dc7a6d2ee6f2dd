import { BulkUpsertContactsInput, BulkUpsertResult } from '@tagging/contracts';
import { bulkUpsertContacts } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';
import { succeeded } from '../success-envelope.ts';

export const bulkUpsertContactsProcedure = workspaceProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/contacts/bulk',
      tags: ['contacts'],
      errorResponses: [413],
      summary: 'Create or update up to 10,000 contacts by externalId',
    },
  })
  .input(BulkUpsertContactsInput)
  .output(BulkUpsertResult)
  .mutation(({ ctx, input }) => succeeded(bulkUpsertContacts(ctx.em, ctx.workspaceId, input)));
