import { bulkUpsertContactsProcedure } from './procedures/contacts/bulk-upsert-contacts.ts';
import { createContactProcedure } from './procedures/contacts/create-contact.ts';
import { deleteContactProcedure } from './procedures/contacts/delete-contact.ts';
import { getContactProcedure } from './procedures/contacts/get-contact.ts';
import { listContactsProcedure } from './procedures/contacts/list-contacts.ts';
import { updateContactProcedure } from './procedures/contacts/update-contact.ts';
import { bulkUpsertSessionsProcedure } from './procedures/sessions/bulk-upsert-sessions.ts';
import { createSessionProcedure } from './procedures/sessions/create-session.ts';
import { deleteSessionProcedure } from './procedures/sessions/delete-session.ts';
import { getSessionProcedure } from './procedures/sessions/get-session.ts';
import { listSessionsProcedure } from './procedures/sessions/list-sessions.ts';
import { updateSessionProcedure } from './procedures/sessions/update-session.ts';
import { createTagProcedure } from './procedures/tags/create-tag.ts';
import { deleteTagProcedure } from './procedures/tags/delete-tag.ts';
import { getTagProcedure } from './procedures/tags/get-tag.ts';
import { listTagsProcedure } from './procedures/tags/list-tags.ts';
import { updateTagProcedure } from './procedures/tags/update-tag.ts';
import { router } from './trpc/init.ts';

export const appRouter = router({
  tags: router({
    create: createTagProcedure,
    list: listTagsProcedure,
    get: getTagProcedure,
    update: updateTagProcedure,
    delete: deleteTagProcedure,
  }),
  contacts: router({
    create: createContactProcedure,
    list: listContactsProcedure,
    get: getContactProcedure,
    update: updateContactProcedure,
    delete: deleteContactProcedure,
    bulkUpsert: bulkUpsertContactsProcedure,
  }),
  sessions: router({
    create: createSessionProcedure,
    list: listSessionsProcedure,
    get: getSessionProcedure,
    update: updateSessionProcedure,
    delete: deleteSessionProcedure,
    bulkUpsert: bulkUpsertSessionsProcedure,
  }),
});

export type AppRouter = typeof appRouter;
