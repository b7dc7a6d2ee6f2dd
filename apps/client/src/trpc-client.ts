import { createTRPCClient, httpBatchLink, type TRPCClient } from '@trpc/client';
// A type-only import: the router's types reach the client, none of the server's code does.
import type { AppRouter } from '@tagging/api/router';
import { connectionHeaders, trimmedBaseUrl, type ConnectionOptions } from './connection.ts';

export type TaggingClientOptions = ConnectionOptions & { fetch?: typeof fetch };

export type TaggingClient = TRPCClient<AppRouter>;

/** The typed tRPC client: every procedure of the API, with its input and output types. */
export function createTaggingClient(options: TaggingClientOptions): TaggingClient {
  const headers = connectionHeaders(options);
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${trimmedBaseUrl(options)}/trpc`,
        headers: () => headers,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    ],
  });
}
