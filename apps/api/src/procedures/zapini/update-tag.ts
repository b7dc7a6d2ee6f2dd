import { ZapiniTagOne, ZapiniUpdateTagInput } from '@tagging/contracts';
import { updateTag } from '@tagging/domain';
import { zapiniProcedure } from './zapini-procedure.ts';
import { toZapiniTag, zapiniMeta } from './zapini-tag.ts';

export const zapiniUpdateTagProcedure = zapiniProcedure
  .meta(zapiniMeta('PATCH', '/tags/{uuid}', 'Update a tag (Zapini)', { errorResponses: [409] }))
  .input(ZapiniUpdateTagInput)
  .output(ZapiniTagOne)
  .mutation(async ({ ctx, input }) => ({
    success: true as const,
    message: 'Tag updated successfully',
    data: {
      tag: toZapiniTag(
        await updateTag(
          ctx.em,
          ctx.workspaceId,
          {
            id: input.uuid,
            ...(input.name === undefined ? {} : { name: input.name }),
            ...(input.color === undefined ? {} : { color: input.color }),
          },
          ctx.actor,
        ),
      ),
    },
  }));
