import fc from 'fast-check';
import {
  hostileString,
  malformedJsonBodies,
  mutatedValueOf,
  oddContentTypes,
  valueOf,
  describe,
  type IdPools,
  type JsonSchema,
} from './fuzz-values.ts';

/** The HTTP-level pieces shared by the REST, tRPC and GraphQL fuzzers. */

/**
 * A URL component of any string. `encodeURIComponent` refuses lone surrogates; they are sent as
 * U+FFFD, as WHATWG URL encoders do. (Escapes that do not decode to UTF-8 are refused by the
 * HTTP server before any route; fuzz.rest.test.ts checks those on their own.)
 */
export function encodeComponent(value: string): string {
  return value.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]|[\s\S]/g, (unit) => {
    try {
      return encodeURIComponent(unit);
    } catch {
      return '%EF%BF%BD';
    }
  });
}

/**
 * URLs stay under the HTTP server's 16 KiB header limit (beyond it Node answers 431 before
 * Fastify sees the request): long path and query values are cut, repeated keys capped.
 */
const maxQueryValue = 2048;
const maxQueryRepeats = 100;

/** Path segments no encoder produces from an id: NUL, encoded slashes and dots, nothing. */
const rawPathSegments = ['%00', '%2F', '..', '%2e%2e', '.', '', '%20', '%25'];

/** A path parameter: mostly a plausible id, sometimes anything. */
export const pathParameter = (schema: JsonSchema, pools: IdPools, name: string): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: valueOf(schema, pools, name).map((value) => encodeComponent(String(value))) },
    { weight: 2, arbitrary: hostileString.map((value) => encodeComponent(value.slice(0, maxQueryValue))) },
    { weight: 1, arbitrary: fc.constantFrom(...rawPathSegments) },
  );

/** `a=1&b=x` from an object as a client might send it: arrays as repeated keys, objects as JSON. */
export function queryString(query: unknown): string {
  if (typeof query !== 'object' || query === null)
    return query === undefined ? '' : encodeComponent(String(query).slice(0, maxQueryValue));
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const values: unknown[] = Array.isArray(value) ? value.slice(0, maxQueryRepeats) : [value];
    for (const item of values) {
      const text = typeof item === 'object' && item !== null ? JSON.stringify(item) : String(item);
      parts.push(`${encodeComponent(key.slice(0, maxQueryValue))}=${encodeComponent(text.slice(0, maxQueryValue))}`);
    }
  }
  return parts.join('&');
}

export type FuzzBody = { body?: string; contentType?: string; description: string };

/**
 * A request body for a JSON schema: valid-looking (so that requests reach the domain), one
 * mutation away from valid, not JSON at all, or JSON under a content type the route does not take.
 */
export function jsonBody(schema: JsonSchema, pools: IdPools): fc.Arbitrary<FuzzBody> {
  const json = (value: unknown): string | undefined => (value === undefined ? undefined : JSON.stringify(value));
  const withJson = (value: unknown, description: string): FuzzBody => {
    const body = json(value);
    return body === undefined ? { description } : { body, contentType: 'application/json', description };
  };
  return fc.oneof(
    { weight: 3, arbitrary: valueOf(schema, pools).map((value) => withJson(value, `body ${describe(value)}`)) },
    {
      weight: 5,
      arbitrary: mutatedValueOf(schema, pools).map(({ value, description }) =>
        withJson(value, `body with ${description}`),
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...malformedJsonBodies)
        .map((body) => ({ body, contentType: 'application/json', description: `raw body ${describe(body)}` })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(valueOf(schema, pools), fc.constantFrom(...oddContentTypes)).map(([value, contentType]) => ({
        body: JSON.stringify(value),
        contentType,
        description: `JSON body sent as ${contentType}`,
      })),
    },
  );
}
