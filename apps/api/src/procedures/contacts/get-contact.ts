import { ContactIdInput, Contact } from '@tagging/contracts';
import { getContact } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';

export const getContactProcedure = workspaceProcedure
  .meta({
    openapi: { method: 'GET', path: '/contacts/{id}', tags: ['contacts'], summary: 'Get a contact' },
  })
  .input(ContactIdInput)
  .output(Contact)
  .query(({ ctx, input }) => getContact(ctx.em, ctx.workspaceId, input.id));
