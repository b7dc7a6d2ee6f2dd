import { ContactTagAssignmentInput, ContactTagAssignmentResult } from '@tagging/contracts';
import { removeContactTag } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';
import { withJobLink } from '../resource-links.ts';
import { succeeded } from '../success-envelope.ts';

export const removeContactTagProcedure = workspaceProcedure
  .meta({
    openapi: {
      method: 'DELETE',
      path: '/tags/{tagId}/contacts/{contactId}',
      tags: ['contact-tags'],
      summary: 'Remove a tag from a contact (idempotent)',
    },
  })
  .input(ContactTagAssignmentInput)
  .output(ContactTagAssignmentResult)
  .mutation(({ ctx, input }) =>
    succeeded(withJobLink(ctx.workspaceId, removeContactTag(ctx.em, ctx.workspaceId, input, ctx.propagation))),
  );
