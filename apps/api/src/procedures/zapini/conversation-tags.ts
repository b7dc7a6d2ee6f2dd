import { z } from 'zod';
import type { SessionTagSet } from '@tagging/domain';
import type { ZapiniConversationTags } from '@tagging/contracts';
import type { Context } from '../../trpc/context.ts';
import { toZapiniTagBrief } from './zapini-tag.ts';

/** Zapini's optimistic concurrency, out: every answer with a conversation's tags carries their version. */
export const tagSetVersionHeaders = z.object({
  // Optional as far as the document goes: clients must not fail on a response without it.
  ETag: z
    .string()
    .optional()
    .meta({ header: { description: 'The version of the conversation’s direct tag set' } }),
});

/** Zapini's optimistic concurrency, in: a replace may name the version it expects. */
export const ifMatchHeaders = z.object({
  'If-Match': z
    .string()
    .optional()
    .meta({
      param: {
        required: false,
        description:
          'Replace only if the tag set is still at this version (the `ETag` of the last read), else 412 ' +
          'Precondition Failed (RFC 9110); `*` matches any existing conversation. The body’s `version` does the ' +
          'same and answers a stale version with 409.',
      },
    }),
});

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
