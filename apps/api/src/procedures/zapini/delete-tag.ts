import { ZapiniNoData, ZapiniTagIdInput } from '@tagging/contracts';
import { deleteTag } from '@tagging/domain';
import { zapiniProcedure } from './zapini-procedure.ts';
import { zapiniMeta } from './zapini-tag.ts';

export const zapiniDeleteTagProcedure = zapiniProcedure
  .meta(
    zapiniMeta('DELETE', '/tags/{uuid}', 'Delete a tag; it is removed from all conversations (Zapini)', {
      errorResponses: [409],
    }),
  )
  .input(ZapiniTagIdInput)
  .output(ZapiniNoData)
  .mutation(async ({ ctx, input }) => {
    await deleteTag(ctx.em, ctx.workspaceId, input.uuid);
    return { success: true as const, message: 'Tag deleted successfully', data: null };
  });
