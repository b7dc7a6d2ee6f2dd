import { TagContactInput, TagContactResult } from '@tagging/contracts';
import { tagContact } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';
import { withJobLink } from '../resource-links.ts';
import { succeeded } from '../success-envelope.ts';

export const tagContactProcedure = workspaceProcedure
  .meta({
    successStatus: 201,
    openapi: {
      method: 'POST',
      path: '/entity-tags/contacts/{contactId}/tags',
      tags: ['entity-tags'],
      errorResponses: [409],
      summary: 'Tag a contact; its linked sessions inherit the tag',
    },
  })
  .input(TagContactInput)
  .output(TagContactResult)
  .mutation(({ ctx, input }) =>
    succeeded(withJobLink(ctx.workspaceId, tagContact(ctx.em, ctx.workspaceId, input, ctx.propagation, ctx.actor))),
  );
