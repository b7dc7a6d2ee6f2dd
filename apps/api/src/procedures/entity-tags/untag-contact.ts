import { UntagContactInput, UntagContactResult } from '@tagging/contracts';
import { untagContact } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';
import { withJobLink } from '../resource-links.ts';
import { succeeded } from '../success-envelope.ts';

export const untagContactProcedure = workspaceProcedure
  .meta({
    openapi: {
      method: 'DELETE',
      path: '/entity-tags/contacts/{contactId}/tags/{tagId}',
      tags: ['entity-tags'],
      summary: 'Remove a tag from a contact and what its sessions inherited',
    },
  })
  .input(UntagContactInput)
  .output(UntagContactResult)
  .mutation(({ ctx, input }) =>
    succeeded(withJobLink(ctx.workspaceId, untagContact(ctx.em, ctx.workspaceId, input, ctx.propagation))),
  );
