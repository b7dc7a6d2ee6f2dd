import { ListContactsInput, ContactPage } from '@tagging/contracts';
import { listContacts } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';

export const listContactsProcedure = workspaceProcedure
  .meta({
    openapi: { method: 'GET', path: '/contacts', tags: ['contacts'], summary: 'List contacts (keyset pagination)' },
  })
  .input(ListContactsInput)
  .output(ContactPage)
  .query(({ ctx, input }) => listContacts(ctx.em, ctx.workspaceId, input));
