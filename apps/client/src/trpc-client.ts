import { createTRPCClient, httpBatchLink, httpLink, splitLink, type TRPCClient } from '@trpc/client';
import { maxTrpcBatchSize, maxTrpcUrlLength } from '@tagging/contracts';
import { transportCheckedFetch } from './api-error.ts';
import { connectionHeaders, trimmedBaseUrl, type ConnectionOptions } from './connection.ts';
// The router's type as generated from the API (`pnpm --filter @tagging/client generate`): no
// server type reaches the SDK's declarations, and no server code its JavaScript.
import type { AppRouter } from './generated/trpc-router.ts';

export type TaggingClientOptions = ConnectionOptions & { fetch?: typeof fetch };

export type TaggingClient = TRPCClient<AppRouter>;

/**
 * The options of a mutation sent with an `Idempotency-Key`: the server runs it once, and a retry
 * with the same key and input gets the first response for 24 h (README, "Calling it"):
 * `await client.contacts.create.mutate(input, idempotent(key))`. Such a call goes alone, never
 * in a batch, since the key names one request.
 */
export const idempotent = (idempotencyKey: string) => ({ context: { idempotencyKey } });

const idempotencyKeyOf = (context: Record<string, unknown>): string | undefined =>
  typeof context.idempotencyKey === 'string' ? context.idempotencyKey : undefined;

/**
 * The typed tRPC client: every procedure of the API, with its input and output types. Calls made
 * together are batched into one request, split so that no batch has more calls than the server
 * takes or a URL longer than `maxTrpcUrlLength`; a mutation given an Idempotency-Key (see
 * `idempotent`) goes in a request of its own with the header.
 */
export function createTaggingClient(options: TaggingClientOptions): TaggingClient {
  const headers = connectionHeaders(options);
  const url = `${trimmedBaseUrl(options)}/trpc`;
  const checkedFetch = transportCheckedFetch(options.fetch ?? ((input, init) => fetch(input, init)));
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'mutation' && idempotencyKeyOf(op.context) !== undefined,
        true: httpLink({
          url,
          headers: ({ op }) => ({ ...headers, 'idempotency-key': idempotencyKeyOf(op.context) ?? '' }),
          fetch: checkedFetch,
        }),
        false: httpBatchLink({
          url,
          headers: () => headers,
          maxItems: maxTrpcBatchSize,
          maxURLLength: maxTrpcUrlLength,
          fetch: checkedFetch,
        }),
      }),
    ],
  });
}
