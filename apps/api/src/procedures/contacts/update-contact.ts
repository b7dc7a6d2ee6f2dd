import { UpdateContactInput, Contact } from '@tagging/contracts';
import { updateContact } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';

export const updateContactProcedure = workspaceProcedure
  .meta({
    openapi: {
      method: 'PATCH',
      path: '/contacts/{id}',
      tags: ['contacts'],
      errorResponses: [409],
      summary: 'Update a contact (partial)',
    },
  })
  .input(UpdateContactInput)
  .output(Contact)
  .mutation(({ ctx, input }) => updateContact(ctx.em, ctx.workspaceId, input));
