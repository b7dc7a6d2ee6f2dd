import type { SessionTagSet } from '@tagging/domain';
import type { ZapiniConversationTags } from '@tagging/contracts';
import type { Context } from '../../trpc/context.ts';
import { toZapiniTagBrief } from './zapini-tag.ts';

/** The envelope of a conversation's tags; the version also goes out as the `ETag` header. */
export function conversationTagsResponse(ctx: Context, set: SessionTagSet, message?: string): ZapiniConversationTags {
  ctx.http.headers = { ...ctx.http.headers, etag: `"${set.version}"` };
  return {
    success: true,
    ...(message ? { message } : {}),
    data: {
      tags: set.direct.map(toZapiniTagBrief),
      inherited_tags: set.inherited.map(toZapiniTagBrief),
      version: set.version,
    },
  };
}
