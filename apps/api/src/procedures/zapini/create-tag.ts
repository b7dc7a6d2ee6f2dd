import { ZapiniCreateTagInput, ZapiniTagOne } from '@tagging/contracts';
import { createTag } from '@tagging/domain';
import { zapiniProcedure } from './zapini-procedure.ts';
import { toZapiniTag, zapiniMeta } from './zapini-tag.ts';

export const zapiniCreateTagProcedure = zapiniProcedure
  .meta({ successStatus: 201, ...zapiniMeta('POST', '/tags', 'Create a tag (Zapini)', { errorResponses: [409] }) })
  .input(ZapiniCreateTagInput)
  .output(ZapiniTagOne)
  .mutation(async ({ ctx, input }) => ({
    success: true as const,
    message: 'Tag created successfully',
    data: { tag: toZapiniTag(await createTag(ctx.em, ctx.workspaceId, input, ctx.actor)) },
  }));
