import { ContactTagsInput, AppliedTags } from '@tagging/contracts';
import { contactTags } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';

export const getContactTagsProcedure = workspaceProcedure
  .meta({
    openapi: {
      method: 'GET',
      path: '/entity-tags/contacts/{contactId}/tags',
      tags: ['entity-tags'],
      summary: 'Get the tags of a contact',
    },
  })
  .input(ContactTagsInput)
  .output(AppliedTags)
  .query(({ ctx, input }) => contactTags(ctx.em, ctx.workspaceId, input.contactId));
