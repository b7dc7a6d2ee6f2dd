import { ZapiniTagOne, ZapiniUpdateTagInput } from '@tagging/contracts';
import { getTag, updateTag } from '@tagging/domain';
import { zapiniColor } from './zapini-color.ts';
import { zapiniProcedure } from './zapini-procedure.ts';
import { toZapiniTag, zapiniMeta } from './zapini-tag.ts';

export const zapiniUpdateTagProcedure = zapiniProcedure
  .meta(zapiniMeta('PATCH', '/tags/{uuid}', 'Update a tag (Zapini)', { errorResponses: [409] }))
  .input(ZapiniUpdateTagInput)
  .output(ZapiniTagOne)
  .mutation(async ({ ctx, input }) => {
    // A client PATCHes back the tag it read (DESIGN): a color equal to what Zapini shows for the
    // stored one (`#0000ff` for `blue`, null for a color with transparency) is no change, so the
    // round trip neither rewrites `blue` nor clears an `rgba(…)` the client never saw.
    const { color } = input;
    // Hex digits in either case are one color (`#0000FF` is the `#0000ff` Zapini showed).
    const shown =
      color === undefined ? undefined : zapiniColor((await getTag(ctx.em, ctx.workspaceId, input.uuid)).color);
    const keepsColor = color !== undefined && shown?.toLowerCase() === color?.toLowerCase();
    const tag = await updateTag(
      ctx.em,
      ctx.workspaceId,
      {
        id: input.uuid,
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(color === undefined || keepsColor ? {} : { color }),
      },
      ctx.actor,
    );
    return { success: true as const, message: 'Tag updated successfully', data: { tag: toZapiniTag(tag) } };
  });
