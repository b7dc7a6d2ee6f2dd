import { BcrumbsTagsInput } from '@tagging/contracts';
import { allTags } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';
import { toBcrumbsTag } from './bcrumbs-tag.ts';

/** GraphQL `tags(input)`: every tag of the workspace, optionally by name prefix and type. */
export const bcrumbsTagsProcedure = workspaceProcedure.input(BcrumbsTagsInput).query(async ({ ctx, input }) => {
  const tags = await allTags(ctx.em, ctx.workspaceId, { prefix: input.tag ?? null, type: input.type ?? null });
  return { nodes: tags.map(toBcrumbsTag) };
});
