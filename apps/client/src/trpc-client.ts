import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { AppRouter } from '@tagging/api/router';

export type TaggingClientOptions = {
  /** Where the API runs, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** The workspace's API key, sent as `Authorization: Bearer <key>`. */
  apiKey?: string;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
};

/** The typed tRPC client: every procedure of the API, with its input and output types. */
export function createTaggingClient(options: TaggingClientOptions) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.apiKey !== undefined) headers.authorization = `Bearer ${options.apiKey}`;
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${options.baseUrl.replace(/\/$/, '')}/trpc`,
        headers: () => headers,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    ],
  });
}

export type TaggingClient = ReturnType<typeof createTaggingClient>;
