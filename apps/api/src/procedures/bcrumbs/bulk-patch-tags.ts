import { BcrumbsTagBulkPatchInput } from '@tagging/contracts';
import { bulkPatchTags } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';

/** GraphQL `bulkPatchTags(input)`: order and description of many tags, all or nothing; answers `true`. */
export const bcrumbsBulkPatchTagsProcedure = workspaceProcedure
  .input(BcrumbsTagBulkPatchInput)
  .mutation(async ({ ctx, input }) => {
    // `order: null` keeps the order (BcrumbsTagPatchItem): the domain's patch leaves it out.
    const patches = input.patches.map(({ order, ...patch }) => (order == null ? patch : { ...patch, order }));
    await bulkPatchTags(ctx.em, ctx.workspaceId, { patches }, ctx.actor);
    return true;
  });
