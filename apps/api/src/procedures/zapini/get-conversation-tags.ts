import { ZapiniConversationIdInput, ZapiniConversationTags } from '@tagging/contracts';
import { sessionTagSet } from '@tagging/domain';
import { zapiniProcedure } from './zapini-procedure.ts';
import { conversationTagsResponse, tagSetVersionHeaders } from './conversation-tags.ts';
import { zapiniMeta } from './zapini-tag.ts';

export const zapiniGetConversationTagsProcedure = zapiniProcedure
  .meta(
    zapiniMeta('GET', '/conversations/{uuid}/tags', 'A conversation’s tags and their version (for If-Match)', {
      responseHeaders: tagSetVersionHeaders,
    }),
  )
  .input(ZapiniConversationIdInput)
  .output(ZapiniConversationTags)
  .query(async ({ ctx, input }) =>
    conversationTagsResponse(ctx, await sessionTagSet(ctx.em, ctx.workspaceId, input.uuid)),
  );
