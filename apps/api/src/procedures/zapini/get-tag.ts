import { ZapiniTagIdInput, ZapiniTagOne } from '@tagging/contracts';
import { getTag } from '@tagging/domain';
import { zapiniProcedure } from './zapini-procedure.ts';
import { toZapiniTag, zapiniMeta } from './zapini-tag.ts';

export const zapiniGetTagProcedure = zapiniProcedure
  .meta(zapiniMeta('GET', '/tags/{uuid}', 'Tag details (Zapini)'))
  .input(ZapiniTagIdInput)
  .output(ZapiniTagOne)
  .query(async ({ ctx, input }) => ({
    success: true as const,
    data: { tag: toZapiniTag(await getTag(ctx.em, ctx.workspaceId, input.uuid)) },
  }));
