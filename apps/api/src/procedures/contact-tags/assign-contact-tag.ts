import { ContactTagAssignmentInput, ContactTagAssignmentResult } from '@tagging/contracts';
import { assignContactTag } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';
import { withJobLink } from '../resource-links.ts';
import { succeeded } from '../success-envelope.ts';

export const assignContactTagProcedure = workspaceProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/tags/{tagId}/contacts/{contactId}',
      tags: ['contact-tags'],
      summary: 'Add a tag to a contact (idempotent: an assigned tag succeeds and changes nothing)',
    },
  })
  .input(ContactTagAssignmentInput)
  .output(ContactTagAssignmentResult)
  .mutation(({ ctx, input }) =>
    succeeded(
      withJobLink(ctx.workspaceId, assignContactTag(ctx.em, ctx.workspaceId, input, ctx.propagation, ctx.actor)),
    ),
  );
