import createClient, { type Client } from 'openapi-fetch';
import { TaggingApiError } from './api-error.ts';
import { connectionHeaders, trimmedBaseUrl, type ConnectionOptions } from './connection.ts';
import type { paths } from './generated/rest-api.ts';

export type TaggingRestClientOptions = ConnectionOptions & { fetch?: (request: Request) => Promise<Response> };

/** An openapi-fetch client over `/api`: paths, parameters, bodies and responses typed from the OpenAPI document. */
export type TaggingRestClient = Client<paths>;

/** The typed REST client (fetch only, so browsers and Node alike). Pair its calls with `unwrap`. */
export function createTaggingRestClient(options: TaggingRestClientOptions): TaggingRestClient {
  return createClient<paths>({
    baseUrl: `${trimmedBaseUrl(options)}/api`,
    headers: connectionHeaders(options),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/** What an openapi-fetch call resolves to: `data` on success, `error` (the parsed body) otherwise. */
type RestResult = { data?: unknown; error?: unknown; response: Response };

/**
 * The response body of a REST call, or a `TaggingApiError` (the same class the tRPC client's
 * failures become): `const tag = await unwrap(rest.POST('/tags', { body: { name: 'VIP' } }))`.
 */
export async function unwrap<R extends RestResult>(call: Promise<R>): Promise<Exclude<R['data'], undefined>> {
  let result: R;
  try {
    result = await call;
  } catch (error) {
    // fetch rejects only when no response came back (network, DNS, CORS, abort).
    throw TaggingApiError.unreachable(error);
  }
  if (result.error !== undefined || !result.response.ok)
    throw TaggingApiError.fromResponse(result.response.status, result.error);
  return result.data as Exclude<R['data'], undefined>;
}
