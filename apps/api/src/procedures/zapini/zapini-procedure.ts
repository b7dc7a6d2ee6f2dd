import { DomainError } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';

const prefixedIds = /\b(?:wtag|wses|contact|etag)_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/g;

/**
 * A domain message in Zapini's words: its document speaks of conversations, not sessions, and
 * shows ids as bare UUIDs.
 */
export const inZapiniWords = (message: string): string =>
  message
    .replace(prefixedIds, '$1')
    .replace(/\bSessions\b/g, 'Conversations')
    .replace(/\bsessions\b/g, 'conversations')
    .replace(/\bSession\b/g, 'Conversation')
    .replace(/\bsession\b/g, 'conversation');

/**
 * The base of every Zapini procedure: the workspace procedure, with the domain's errors
 * reworded for the dialect (the code, and so the status, stays).
 */
export const zapiniProcedure = workspaceProcedure.use(async ({ next }) => {
  const result = await next();
  const cause = result.ok ? undefined : result.error.cause;
  if (cause instanceof DomainError) {
    const issues = cause.issues?.map((issue) => ({ ...issue, message: inZapiniWords(issue.message) }));
    throw new DomainError(cause.code, inZapiniWords(cause.message), issues);
  }
  return result;
});
