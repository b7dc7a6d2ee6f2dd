import { CreateContactInput, Contact } from '@tagging/contracts';
import { createContact } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';

export const createContactProcedure = workspaceProcedure
  .meta({
    successStatus: 201,
    openapi: {
      method: 'POST',
      path: '/contacts',
      tags: ['contacts'],
      errorResponses: [409],
      summary: 'Create a contact',
    },
  })
  .input(CreateContactInput)
  .output(Contact)
  .mutation(({ ctx, input }) => createContact(ctx.em, ctx.workspaceId, input));
