import type { FastifyRequest } from 'fastify';
import { appRouter } from '../router.ts';

/**
 * The route a request matched, as a pattern (`/api/tags/{id}`), never its URL: ids would make
 * one metric series per record, and a URL can carry anything a client sends. A REST route is a
 * Fastify route (`/api/tags/:id`, labelled `/api/tags/{id}` as the OpenAPI document writes it);
 * tRPC serves its procedures behind one Fastify route, and its router names them.
 */
export type RouteLabel = string;

const unmatchedRoute = 'unmatched';

const procedures = new Set(Object.keys(appRouter._def.procedures));
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
  if (url === trpcRoute) return trpcLabel(req);
  return fastifyLabel(url);
}
