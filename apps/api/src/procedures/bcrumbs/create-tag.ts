import { BcrumbsTagCreateInput } from '@tagging/contracts';
import { createTag } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';
import { toBcrumbsTag } from './bcrumbs-tag.ts';

/** GraphQL `createTag(input)`: a new tag (its name is `tag`; `order` and `description` optional). */
export const bcrumbsCreateTagProcedure = workspaceProcedure
  .input(BcrumbsTagCreateInput)
  .mutation(async ({ ctx, input }) =>
    toBcrumbsTag(
      await createTag(
        ctx.em,
        ctx.workspaceId,
        {
          name: input.tag,
          type: input.type,
          ...(input.order == null ? {} : { order: input.order }),
          ...(input.description == null ? {} : { description: input.description }),
        },
        ctx.actor,
      ),
    ),
  );
