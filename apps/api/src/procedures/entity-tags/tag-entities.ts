import { TagEntitiesInput, TagEntitiesResult } from '@tagging/contracts';
import { tagEntities } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';

export const tagEntitiesProcedure = workspaceProcedure
  .meta({
    openapi: {
      method: 'GET',
      path: '/entity-tags/tags/{tagId}/entities',
      tags: ['entity-tags'],
      summary: 'Find the contacts and sessions that have a tag',
    },
  })
  .input(TagEntitiesInput)
  .output(TagEntitiesResult)
  .query(({ ctx, input }) => tagEntities(ctx.em, ctx.workspaceId, input));
