import { Tag, TagIdInput } from '@tagging/contracts';
import { getTag } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';

export const getTagProcedure = workspaceProcedure
  .meta({ openapi: { method: 'GET', path: '/tags/{id}', tags: ['tags'], summary: 'Get a tag with its usage counts' } })
  .input(TagIdInput)
  .output(Tag)
  .query(({ ctx, input }) => getTag(ctx.em, ctx.workspaceId, input.id));
