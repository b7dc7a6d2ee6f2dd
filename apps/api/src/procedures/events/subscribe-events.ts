import { ChangeEvent, SubscribeEventsInput } from '@tagging/contracts';
import { isApiKeyActive, latestEventSeq, listEventsAfter } from '@tagging/domain';
import { tracked, TRPCError } from '@trpc/server';
import { workspaceProcedure } from '../../trpc/init.ts';
import { eventSeqWatchOf } from './event-seq-watch.ts';

/** How often a stream checks that its API key still works, at most (ms). */
const keyCheckEveryMs = 1000;

/**
 * Live change events over server-sent events (tRPC `httpSubscriptionLink`). Each event is sent
 * with its `seq` as the SSE id, so a client that reconnects resumes after the last event it got
 * (`lastEventId`, sent by the link); `after` starts after a given `seq`; neither: from now on.
 * It reads the outbox (numbered events only), not process memory, so it is exact whichever API
 * process serves the stream and whichever wrote the change; it waits for new events with the
 * process's other streams (`EventSeqWatch`: one poll for all). A stream whose key is revoked or
 * expires ends with UNAUTHORIZED before its next events. Not a REST route.
 */
export const subscribeEventsProcedure = workspaceProcedure.input(SubscribeEventsInput).subscription(async function* ({
  ctx,
  input,
  signal,
}) {
  const resumeFrom = input.lastEventId ? Number(input.lastEventId) : input.after;
  let cursor =
    resumeFrom !== undefined && Number.isSafeInteger(resumeFrom)
      ? resumeFrom
      : await latestEventSeq(ctx.db.fork(), ctx.workspaceId);
  // Every event up to `seen` has been read (listed, and sent unless its type is filtered out).
  let seen = cursor;
  const watch = eventSeqWatchOf(ctx.db);
  // The first listing at once (a resumed stream may have events waiting), then each after news.
  let latest = seen;
  let keyCheckedAt = Date.now();
  for (let first = true; !signal?.aborted; first = false) {
    // The last number before the listing: the listing then sees every event up to it.
    if (!first) latest = await watch.waitBeyond(ctx.workspaceId, seen, signal);
    if (signal?.aborted) break;
    // The key was checked when the stream opened; a key revoked (or expired) since must not go on
    // receiving (attack, session 10: a revoked key's stream delivered for minutes). Checked before
    // each listing, at most once a second.
    if (ctx.caller && Date.now() - keyCheckedAt >= keyCheckEveryMs) {
      if (!(await isApiKeyActive(ctx.db.fork(), ctx.workspaceId, ctx.caller.apiKeyId)))
        throw new TRPCError({ code: 'UNAUTHORIZED', message: 'the API key was revoked or has expired' });
      keyCheckedAt = Date.now();
    }
    const page = await listEventsAfter(ctx.db.fork(), ctx.workspaceId, {
      after: cursor,
      types: input.types,
      limit: 500,
    });
    for (const event of page.events) {
      cursor = event.seq;
      yield tracked(String(event.seq), ChangeEvent.parse(event));
    }
    // With types filtered, the listing can end before `latest` with nothing more to send.
    seen = page.hasMore ? cursor : Math.max(cursor, latest);
  }
});
