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
});

export type AppRouter = typeof appRouter;
