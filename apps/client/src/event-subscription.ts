import { createTRPCClient, httpSubscriptionLink } from '@trpc/client';
import type { ChangeEvent, EventType } from '@tagging/contracts';
import type { AppRouter } from './generated/trpc-router.ts';
import { EventSource } from 'eventsource';
import { connectionHeaders, trimmedBaseUrl, type ConnectionOptions } from './connection.ts';

export type EventSubscriptionOptions = ConnectionOptions & {
  /** Start after this `seq` (a feed cursor); absent: from now on. */
  after?: number;
  /** Only these types (all when absent). */
  types?: readonly EventType[];
  /** Each event, in `seq` order, once per connection (after a reconnect it resumes after the last one). */
  onEvent: (event: ChangeEvent) => void;
  /** A failure the link did not recover from; the subscription has ended. */
  onError?: (error: unknown) => void;
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
  const headers = connectionHeaders(options);
  const baseFetch = options.fetch ?? ((input, init) => fetch(input, init));
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
    {
      ...(options.after !== undefined ? { after: options.after } : {}),
      ...(options.types ? { types: options.types.join(',') } : {}),
    },
    {
      onData: (tracked) => options.onEvent(tracked.data),
      onError: (error) => options.onError?.(error),
    },
  );
  return { unsubscribe: () => subscription.unsubscribe() };
}
