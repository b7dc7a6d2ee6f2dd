import { ZapiniConversationIdInput, ZapiniConversationTags } from '@tagging/contracts';
import { sessionTagSet } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';
import { conversationTagsResponse } from './conversation-tags.ts';
import { zapiniMeta } from './zapini-tag.ts';

export const zapiniGetConversationTagsProcedure = workspaceProcedure
  .meta(zapiniMeta('GET', '/conversations/{uuid}/tags', 'A conversation’s tags and their version (for If-Match)'))
  .input(ZapiniConversationIdInput)
  .output(ZapiniConversationTags)
  .query(async ({ ctx, input }) =>
    conversationTagsResponse(ctx, await sessionTagSet(ctx.em, ctx.workspaceId, input.uuid)),
  );
