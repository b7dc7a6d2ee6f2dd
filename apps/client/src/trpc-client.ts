import { createTRPCClient, httpBatchLink, type TRPCClient } from '@trpc/client';
import { maxTrpcBatchSize, maxTrpcUrlLength } from '@tagging/contracts';
import { transportCheckedFetch } from './api-error.ts';
import { connectionHeaders, trimmedBaseUrl, type ConnectionOptions } from './connection.ts';
// The router's type as generated from the API (`pnpm --filter @tagging/client generate`): no
// server type reaches the SDK's declarations, and no server code its JavaScript.
import type { AppRouter } from './generated/trpc-router.ts';

export type TaggingClientOptions = ConnectionOptions & { fetch?: typeof fetch };

export type TaggingClient = TRPCClient<AppRouter>;

/**
 * The typed tRPC client: every procedure of the API, with its input and output types. Calls made
 * together are batched into one request, split so that no batch has more calls than the server
 * takes or a URL longer than `maxTrpcUrlLength`.
 */
export function createTaggingClient(options: TaggingClientOptions): TaggingClient {
  const headers = connectionHeaders(options);
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${trimmedBaseUrl(options)}/trpc`,
        headers: () => headers,
        maxItems: maxTrpcBatchSize,
        maxURLLength: maxTrpcUrlLength,
        fetch: transportCheckedFetch(options.fetch ?? ((input, init) => fetch(input, init))),
      }),
    ],
  });
}
