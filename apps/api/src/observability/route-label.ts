import type { FastifyRequest } from 'fastify';
import { forEachOpenApiProcedure, getPathRegExp, normalizePath } from 'trpc-to-openapi';
import { restBasePath } from '../rest/rest-plugin.ts';
import { appRouter } from '../router.ts';

/**
 * The route a request matched, as a pattern (`/api/tags/{id}`), never its URL: ids would make
 * one metric series per record, and a URL can carry anything a client sends. The REST adapter and
 * tRPC each serve many routes behind one Fastify wildcard; their own route tables name them.
 */
export type RouteLabel = string;

const unmatchedRoute = 'unmatched';

type RestRoute = { pattern: RegExp; label: RouteLabel };

/** The REST routes per method, in the adapter's order (it takes the first that matches, as here). */
const restRoutes = new Map<string, RestRoute[]>();
forEachOpenApiProcedure(appRouter._def.procedures, ({ meta: { openapi } }) => {
  const path = normalizePath(openapi.path);
  const routes = restRoutes.get(openapi.method) ?? [];
  routes.push({ pattern: getPathRegExp(path), label: `${restBasePath}${path}` });
  restRoutes.set(openapi.method, routes);
});

const procedures = new Set(Object.keys(appRouter._def.procedures));
const restWildcard = `${restBasePath}/*`;
const trpcRoute = '/trpc/:path';

/** Fastify's `:param` patterns written as the OpenAPI document writes them, once per route. */
const fastifyLabels = new Map<string, RouteLabel>();
const fastifyLabel = (url: string): RouteLabel => {
  let label = fastifyLabels.get(url);
  if (label === undefined) {
    label = url.replace(/:(\w+)/g, '{$1}');
    fastifyLabels.set(url, label);
  }
  return label;
};

function restLabel(req: FastifyRequest): RouteLabel {
  // The adapter rewrites `req.url` without the base path (and Fastify's `originalUrl` is read
  // lazily, so it may already be the rewritten one); a request refused before the adapter ran
  // still has it. No REST route's own path starts with the base path.
  const url = req.url.split('?', 1)[0] ?? '';
  const path = url.startsWith(`${restBasePath}/`) ? url.slice(restBasePath.length) : url;
  const route = restRoutes.get(req.method)?.find((candidate) => candidate.pattern.test(path));
  return route ? route.label : restWildcard;
}

function trpcLabel(req: FastifyRequest): RouteLabel {
  const path = (req.params as { path?: unknown } | undefined)?.path;
  if (typeof path !== 'string') return trpcRoute;
  if (procedures.has(path)) return `/trpc/${path}`;
  // A batch names several procedures: one series for all batches, not one per combination.
  return path.includes(',') ? '/trpc/(batch)' : trpcRoute;
}

export function routeLabelOf(req: FastifyRequest): RouteLabel {
  const url = req.routeOptions.url;
  if (url === undefined) return unmatchedRoute;
  if (url === restWildcard) return restLabel(req);
  if (url === trpcRoute) return trpcLabel(req);
  return fastifyLabel(url);
}
