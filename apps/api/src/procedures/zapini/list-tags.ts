import { z } from 'zod';
import { ZapiniTagList } from '@tagging/contracts';
import { allTags } from '@tagging/domain';
import { zapiniProcedure } from './zapini-procedure.ts';
import { toZapiniTag, zapiniMeta } from './zapini-tag.ts';

export const zapiniListTagsProcedure = zapiniProcedure
  .meta(zapiniMeta('GET', '/tags', 'List all tags of the tenant (Zapini)'))
  .input(z.object({}))
  .output(ZapiniTagList)
  .query(async ({ ctx }) => ({
    success: true as const,
    data: { tags: (await allTags(ctx.em, ctx.workspaceId)).map(toZapiniTag) },
  }));
