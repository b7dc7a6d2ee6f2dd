import type { AnyTRPCRouter, TRPCProcedureType } from '@trpc/server';
import {
  forEachOpenApiProcedure,
  getInputOutputParsers,
  instanceofZodTypeKind,
  instanceofZodTypeLikeVoid,
  instanceofZodTypeObject,
  instanceofZodTypeOptional,
  normalizePath,
  unwrapZodType,
  type OpenApiMethod,
} from 'trpc-to-openapi';

/**
 * A REST route compiled, at start-up, from one procedure's `openapi` meta: what the route's
 * handler needs to build the procedure's input from a request the way trpc-to-openapi 3.3's
 * adapter built it (its `node-http/core`), decided once instead of per request.
 */
export type RestRoute = {
  method: OpenApiMethod;
  /** Fastify's form of the path, under the base path: `/api/tags/:id` for `/tags/{id}`. */
  url: string;
  /** The procedure's path in the router (`tags.get`). */
  procedurePath: string;
  type: TRPCProcedureType;
  /** The input comes from the JSON body (POST, PUT, PATCH); from the query string otherwise. */
  readsBody: boolean;
  /** False when the input schema is void-like: the procedure gets no input at all. */
  takesInput: boolean;
  /** Query keys whose schema is an array: one value in the query string is a one-element array. */
  arrayKeys: readonly string[];
  /** A write whose input has `workspaceId`: the documents put it in the query string (Entity Tags). */
  workspaceIdInQuery: boolean;
  /**
   * The keys of the input, when its schema is an object (empty when it takes none): the query
   * parameters the route reads. Others are ignored, on writes as on reads (docs/DECISIONS.md);
   * null for any other schema, which gets every parameter.
   */
  inputKeys: ReadonlySet<string> | null;
};

/** Writes carry a body; GET and DELETE carry their input in the query string (trpc-to-openapi's `acceptsRequestBody`). */
const readsBody = (method: OpenApiMethod): boolean => method !== 'GET' && method !== 'DELETE';

/** A top-level field schema that is an array, or an optional array (what the adapter wrapped). */
const isArrayField = (shape: Parameters<typeof instanceofZodTypeKind>[0]): boolean =>
  instanceofZodTypeKind(shape, 'array') ||
  (instanceofZodTypeOptional(shape) && instanceofZodTypeKind(shape.unwrap(), 'array'));

/**
 * The routes of every procedure of `router` with `openapi` meta (subscriptions have none), under
 * `basePath`. Input schemas are used as written, on REST as on tRPC: a JSON body's field has
 * the type its contract says, and query strings are read by schemas made for text.
 */
export function restRoutesOf(router: AnyTRPCRouter, basePath: string): RestRoute[] {
  const routes: RestRoute[] = [];
  forEachOpenApiProcedure(router._def.procedures, ({ path: procedurePath, type, procedure, meta: { openapi } }) => {
    if (type === 'subscription') return;
    const schema = unwrapZodType(getInputOutputParsers(procedure).inputParser, true);
    const bodyInput = readsBody(openapi.method);
    // Not `coerceSchema`, which the adapter ran on every input object: it mutates the shared
    // schema so that every boolean field reads `Boolean(value)` ("false" is true) and every number
    // `Number(value)` ("" and null are 0, "0x10" is 16), in bodies, on REST and tRPC alike
    // (attacks of sessions 8 and 15). A query-string number or flag is parsed by its own schema
    // (`queryInteger`, `Flag`), so nothing needs the coercion.
    const isObject = instanceofZodTypeObject(schema);
    routes.push({
      method: openapi.method,
      url: `${basePath}${normalizePath(openapi.path).replace(/\{(.+?)\}/g, ':$1')}`,
      procedurePath,
      type,
      readsBody: bodyInput,
      takesInput: !instanceofZodTypeLikeVoid(schema),
      arrayKeys:
        isObject && !bodyInput
          ? Object.entries(schema.shape).flatMap(([key, field]) => (isArrayField(field) ? [key] : []))
          : [],
      workspaceIdInQuery: bodyInput && isObject && 'workspaceId' in schema.shape,
      inputKeys: isObject ? new Set(Object.keys(schema.shape)) : instanceofZodTypeLikeVoid(schema) ? new Set() : null,
    });
  });
  return routes;
}

/**
 * A GET or DELETE route's input from Fastify's parsed query string, as the adapter read it: a
 * key given once is its value, given several times its values; an empty value is no value;
 * an array field given once is a one-element array. Only the route's own keys (`inputKeys`,
 * every key when null): a parameter it does not take is ignored.
 */
export function queryInput(
  query: unknown,
  arrayKeys: readonly string[],
  inputKeys: ReadonlySet<string> | null,
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  if (typeof query !== 'object' || query === null) return input;
  for (const [key, value] of Object.entries(query)) {
    if (value && (inputKeys === null || inputKeys.has(key)))
      input[key] = Array.isArray(value) && value.length === 1 ? value[0] : value;
  }
  for (const key of arrayKeys) {
    const value = input[key];
    if (value !== undefined && !Array.isArray(value)) input[key] = [value];
  }
  return input;
}

const slash = 47;

/**
 * A REST URL without one trailing slash on its path (`/api/tags/?q=a` is `/api/tags?q=a`), for
 * Fastify's `rewriteUrl`: trpc-to-openapi matched routes after trimming it, Fastify's router
 * does not. Only under `basePath/`, and never the base path itself; other URLs are unchanged.
 */
export function withoutTrailingSlash(url: string, basePath: string): string {
  if (!url.startsWith(basePath) || url.charCodeAt(basePath.length) !== slash) return url;
  const query = url.indexOf('?');
  const pathEnd = query === -1 ? url.length : query;
  if (pathEnd <= basePath.length + 1 || url.charCodeAt(pathEnd - 1) !== slash) return url;
  return url.slice(0, pathEnd - 1) + url.slice(pathEnd);
}
