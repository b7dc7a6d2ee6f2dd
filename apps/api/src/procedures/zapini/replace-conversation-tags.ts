import { ZapiniConversationTags, ZapiniConversationTagsInput } from '@tagging/contracts';
import { replaceSessionDirectTags } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';
import { conversationTagsResponse } from './conversation-tags.ts';
import { zapiniMeta } from './zapini-tag.ts';

export const zapiniReplaceConversationTagsProcedure = workspaceProcedure
  .meta({
    ...zapiniMeta('PUT', '/conversations/{uuid}/tags', 'Replace the tags assigned to a conversation (Zapini)'),
  })
  .input(ZapiniConversationTagsInput)
  .output(ZapiniConversationTags)
  .mutation(async ({ ctx, input }) =>
    conversationTagsResponse(
      ctx,
      await replaceSessionDirectTags(ctx.em, ctx.workspaceId, input.uuid, input.tag_ids, input.version ?? ctx.ifMatch),
      'Conversation tags updated',
    ),
  );
