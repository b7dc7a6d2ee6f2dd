import { ChangeEvent, SubscribeEventsInput } from '@tagging/contracts';
import { isApiKeyActive, latestEventSeq, listEventsAfter } from '@tagging/domain';
import { tracked, TRPCError } from '@trpc/server';
import { workspaceProcedure } from '../../trpc/init.ts';
import { eventSeqWatchOf } from './event-seq-watch.ts';

/**
 * Live change events over server-sent events (tRPC `httpSubscriptionLink`). Each event is sent
 * with its `seq` as the SSE id, so a client that reconnects resumes after the last event it got
 * (`lastEventId`, sent by the link); `after` starts after a given `seq`; neither: from now on.
 * It reads the outbox (numbered events only), not process memory, so it is exact whichever API
 * process serves the stream and whichever wrote the change; it waits for new events with the
 * process's other streams (`EventSeqWatch`: one poll for all). A stream whose key is revoked or
 * expires ends with UNAUTHORIZED before its next events. A workspace holds at most
 * `EVENT_STREAMS_PER_WORKSPACE` streams open in a process (one more ends at once with
 * TOO_MANY_REQUESTS), and the process's streams list the outbox a few at a time
 * (`EventStreamLimits`). Not a REST route.
 */
export const subscribeEventsProcedure = workspaceProcedure.input(SubscribeEventsInput).subscription(async function* ({
  ctx,
  input,
  signal,
}) {
  const close = ctx.eventStreams.tryOpen(ctx.workspaceId);
  if (!close)
    throw new TRPCError({
      code: 'TOO_MANY_REQUESTS',
      message: `this workspace has reached its ${ctx.eventStreams.maxPerWorkspace} live event streams in this process; close one, or page through GET /api/events`,
    });
  try {
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
    for (let first = true; !signal?.aborted; first = false) {
      // The last number before the listing: the listing then sees every event up to it.
      if (!first) latest = await watch.waitBeyond(ctx.workspaceId, seen, signal, ctx.caller?.apiKeyId);
      if (signal?.aborted) break;
      // Woken with nothing new: the watcher found the key no longer works.
      const keyWake = !first && latest <= seen;
      const after = cursor;
      const page = await ctx.eventStreams.listing(async () => {
        const listed = await listEventsAfter(ctx.db.fork(), ctx.workspaceId, { after, types: input.types, limit: 500 });
        // A key revoked (or expired) must not go on receiving (attack, session 10: a revoked key's
        // stream delivered for minutes). Checked after the listing, before its events are sent: a
        // key that works now was revoked, if at all, after every listed event was committed, so
        // no event of a request made after the revocation gets through (attack, session 26: with a
        // check at most once a second, up to 0.5 s of such events did).
        const keyActive =
          !ctx.caller ||
          (listed.events.length === 0 && !keyWake) ||
          (await isApiKeyActive(ctx.db.fork(), ctx.workspaceId, ctx.caller.apiKeyId));
        return { events: listed.events.map((event) => ChangeEvent.parse(event)), hasMore: listed.hasMore, keyActive };
      });
      if (!page.keyActive)
        throw new TRPCError({ code: 'UNAUTHORIZED', message: 'the API key was revoked or has expired' });
      for (const event of page.events) {
        cursor = event.seq;
        yield tracked(String(event.seq), event);
      }
      // With types filtered, the listing can end before `latest` with nothing more to send.
      seen = page.hasMore ? cursor : Math.max(cursor, latest);
    }
  } finally {
    close();
  }
});
