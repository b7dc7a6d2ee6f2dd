import { createTRPCClient, httpSubscriptionLink } from '@trpc/client';
import type { ChangeEvent, EventType } from '@tagging/contracts';
import type { AppRouter } from './generated/trpc-router.ts';
import { EventSource } from 'eventsource';
import { TaggingApiError } from './api-error.ts';
import { connectionHeaders, trimmedBaseUrl, type ConnectionOptions } from './connection.ts';

export type EventSubscriptionOptions = ConnectionOptions & {
  /**
   * Start after this `seq` (a feed cursor); absent: from now on, resolved to the feed's
   * `latestSeq` before the stream opens (one `GET /api/events?limit=1`), so that a reconnect
   * before the first event misses nothing.
   */
  after?: number;
  /** Only these types (all when absent). */
  types?: readonly EventType[];
  /** Each event, in `seq` order, once per connection (after a reconnect it resumes after the last one). */
  onEvent: (event: ChangeEvent) => void;
  /**
   * A failure the link did not recover from, as a `TaggingApiError` (`code`, `status`): a refusal
   * when the stream opens or one sent in it (429 at the workspace's stream cap, 401 once the key is
   * revoked or expired); the subscription has ended.
   */
  onError?: (error: TaggingApiError) => void;
  fetch?: typeof fetch;
};

export type EventSubscription = { unsubscribe: () => void };

/**
 * Streams a workspace's change events as they are committed (tRPC subscription over server-sent
 * events). The API key travels in the `Authorization` header, through the `eventsource` package
 * (the browser's own `EventSource` cannot send headers). A dropped connection reconnects and
 * resumes after the last event received (its `seq` is the SSE event id), so nothing is missed
 * or repeated within the feed's retention.
 */
export function subscribeToEvents(options: EventSubscriptionOptions): EventSubscription {
  const baseFetch = options.fetch ?? ((input, init) => fetch(input, init));
  if (options.after !== undefined) return subscribeAfter(options, options.after, baseFetch);
  // "From now on" is resolved to a position first (the feed's `latestSeq`): a stream that started
  // from now and was cut before its first event came back from a later now, missing what was
  // written in between (attack, session 10). The link's input then always carries it.
  let subscription: EventSubscription | undefined;
  let cancelled = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  // Like the stream's own reconnects, a server that cannot be reached (or answers 5xx, 429) is
  // tried again, every 1 s doubling to 10 s; a refusal (401, 403, 400) ends it with `onError`.
  const start = (attempt: number): void => {
    resolvePosition(options, baseFetch).then(
      (latestSeq) => {
        if (!cancelled) subscription = subscribeAfter(options, latestSeq, baseFetch);
      },
      (error: unknown) => {
        if (cancelled) return;
        const apiError = TaggingApiError.from(error);
        if (apiError.status < 500 && apiError.status !== 429) options.onError?.(apiError);
        else retry = setTimeout(() => start(attempt + 1), Math.min(10_000, 1000 * 2 ** attempt));
      },
    );
  };
  start(0);
  return {
    unsubscribe: () => {
      cancelled = true;
      clearTimeout(retry);
      subscription?.unsubscribe();
    },
  };
}

/** The feed's `latestSeq`: where "from now on" starts. Throws a TaggingApiError (UNAVAILABLE when unreachable). */
async function resolvePosition(options: EventSubscriptionOptions, baseFetch: typeof fetch): Promise<number> {
  let response: Response;
  try {
    response = await baseFetch(`${trimmedBaseUrl(options)}/api/events?limit=1`, {
      headers: connectionHeaders(options),
    });
  } catch (error) {
    throw TaggingApiError.unreachable(error);
  }
  const page = (await response.json().catch(() => ({}))) as { latestSeq?: unknown };
  if (!response.ok || typeof page.latestSeq !== 'number') throw TaggingApiError.fromResponse(response.status, page);
  return page.latestSeq;
}

function subscribeAfter(options: EventSubscriptionOptions, after: number, baseFetch: typeof fetch): EventSubscription {
  const headers = connectionHeaders(options);
  const client = createTRPCClient<AppRouter>({
    links: [
      httpSubscriptionLink({
        url: `${trimmedBaseUrl(options)}/trpc`,
        EventSource,
        eventSourceOptions: {
          fetch: (input, init) => baseFetch(input, { ...init, headers: { ...init.headers, ...headers } }),
        },
      }),
    ],
  });
  const subscription = client.events.subscribe.subscribe(
    { after, ...(options.types ? { types: options.types.join(',') } : {}) },
    {
      onData: (tracked) => options.onEvent(tracked.data),
      // Errors sent in the stream arrive as the link's TRPCClientError (black-box attack, session
      // 26: `instanceof TaggingApiError` was false and `status` undefined).
      onError: (error) => options.onError?.(TaggingApiError.from(error)),
    },
  );
  return { unsubscribe: () => subscription.unsubscribe() };
}
