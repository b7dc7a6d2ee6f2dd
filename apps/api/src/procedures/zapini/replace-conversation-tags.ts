import { ZapiniConversationTags, ZapiniConversationTagsInput } from '@tagging/contracts';
import { DomainError, replaceSessionDirectTags, sessionTagSet } from '@tagging/domain';
import type { Context } from '../../trpc/context.ts';
import { conversationTagsResponse, ifMatchHeaders, tagSetVersionHeaders } from './conversation-tags.ts';
import { parseIfMatch } from './if-match.ts';
import { zapiniProcedure } from './zapini-procedure.ts';
import { zapiniMeta } from './zapini-tag.ts';

const staleIfMatch = () =>
  new DomainError(
    'PRECONDITION_FAILED',
    'The conversation tags were changed by someone else (If-Match no longer holds); reload them and try again.',
  );

/** Document 002's wording (Laravel's) for tag ids that name no tag: 404, field by field (issue 14). */
const unknownTagIds = (error: DomainError) =>
  new DomainError(
    'NOT_FOUND',
    'The selected tag_ids are invalid.',
    error.issues?.map((issue) => ({ path: ['tag_ids', ...issue.path], message: 'The selected tag is invalid.' })),
  );

/** A stale body `version` (409), in the dialect's words. */
const staleVersion = () =>
  new DomainError('CONFLICT', 'The conversation tags were changed by someone else; reload them and try again.');

type Expectation = { version: string | undefined; from: 'body' | 'if-match' | 'none' };

/**
 * The version the replace must find, and where it came from: the body's `version` (a stale one
 * is the domain's 409, as before) or `If-Match` (a stale one is 412, RFC 9110; `*` matches any
 * existing conversation). A header listing several tags, or only weak ones, is checked against
 * the current version first; the one that matches is then re-checked under the lock.
 */
async function expectationOf(
  ctx: Context & { workspaceId: number },
  em: Parameters<typeof sessionTagSet>[0],
  input: ZapiniConversationTagsInput,
): Promise<Expectation> {
  const condition = parseIfMatch(ctx.ifMatch);
  const tags = condition?.kind === 'tags' ? condition.tags : undefined;
  if (tags && (input.version !== undefined || tags.length !== 1)) {
    const current = (await sessionTagSet(em, ctx.workspaceId, input.uuid)).version;
    if (!tags.includes(current)) throw staleIfMatch();
    if (input.version === undefined) return { version: current, from: 'if-match' };
  }
  if (input.version !== undefined) return { version: input.version, from: 'body' };
  if (tags?.length === 1) return { version: tags[0], from: 'if-match' };
  return { version: undefined, from: 'none' };
}

export const zapiniReplaceConversationTagsProcedure = zapiniProcedure
  .meta(
    zapiniMeta('PUT', '/conversations/{uuid}/tags', 'Replace the tags assigned to a conversation (Zapini)', {
      errorResponses: [409, 412],
      requestHeaders: ifMatchHeaders,
      responseHeaders: tagSetVersionHeaders,
    }),
  )
  .input(ZapiniConversationTagsInput)
  .output(ZapiniConversationTags)
  .mutation(async ({ ctx, input }) => {
    const expected = await expectationOf(ctx, ctx.em, input);
    try {
      return conversationTagsResponse(
        ctx,
        await replaceSessionDirectTags(ctx.em, ctx.workspaceId, input.uuid, input.tag_ids, ctx.actor, expected.version),
        'Conversation tags updated',
      );
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      // The domain's one conflict here is a stale version: 412 when the header named it.
      if (error.code === 'CONFLICT') throw expected.from === 'if-match' ? staleIfMatch() : staleVersion();
      // A not-found with issues names positions of `tag_ids`; one without is the conversation.
      if (error.code === 'NOT_FOUND' && error.issues?.length) throw unknownTagIds(error);
      throw error;
    }
  });
