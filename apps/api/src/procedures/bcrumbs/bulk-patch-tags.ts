import { BcrumbsTagBulkPatchInput } from '@tagging/contracts';
import { bulkPatchTags } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';

/** GraphQL `bulkPatchTags(input)`: order and description of many tags, all or nothing; answers `true`. */
export const bcrumbsBulkPatchTagsProcedure = workspaceProcedure
  .input(BcrumbsTagBulkPatchInput)
  .mutation(async ({ ctx, input }) => {
    await bulkPatchTags(ctx.em, ctx.workspaceId, { patches: input.patches }, ctx.actor);
    return true;
  });
