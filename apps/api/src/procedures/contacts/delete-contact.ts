import { ContactIdInput, DeleteResult } from '@tagging/contracts';
import { deleteContact } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';
import { succeeded } from '../success-envelope.ts';

export const deleteContactProcedure = workspaceProcedure
  .meta({
    openapi: {
      method: 'DELETE',
      path: '/contacts/{id}',
      tags: ['contacts'],
      summary: 'Delete a contact; its sessions stay, unlinked',
    },
  })
  .input(ContactIdInput)
  .output(DeleteResult)
  .mutation(({ ctx, input }) => succeeded(deleteContact(ctx.em, ctx.workspaceId, input.id)));
