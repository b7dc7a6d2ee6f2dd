import { ChangeEvent, SubscribeEventsInput } from '@tagging/contracts';
import { latestEventSeq, listEvents } from '@tagging/domain';
import { tracked } from '@trpc/server';
import { workspaceProcedure } from '../../trpc/init.ts';

/** How often a subscription looks for new events when it has caught up (ms). */
const pollMs = 250;

const sleep = (ms: number, signal: AbortSignal | undefined) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * Live change events over server-sent events (tRPC `httpSubscriptionLink`). Each event is sent
 * with its `seq` as the SSE id, so a client that reconnects resumes after the last event it got
 * (`lastEventId`, sent by the link); `after` starts after a given `seq`; neither: from now on.
 * It reads the outbox (numbered events only), not process memory, so it is exact whichever API
 * process serves the stream and whichever wrote the change. Not a REST route.
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
  while (!signal?.aborted) {
    const page = await listEvents(ctx.db.fork(), ctx.workspaceId, {
      after: cursor,
      types: input.types,
      limit: 500,
    });
    for (const event of page.events) {
      cursor = event.seq;
      yield tracked(String(event.seq), ChangeEvent.parse(event));
    }
    // With types filtered out, the page may be empty while later events exist: the cursor
    // still moves past what was read.
    if (!page.hasMore) await sleep(pollMs, signal);
  }
});
