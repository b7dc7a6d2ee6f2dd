import type { FastifyReply } from 'fastify';
import { errorCodeOfHttpStatus } from '@tagging/contracts';
import { shownMessage } from './error-table.ts';
import { graphQLRequestErrorBody } from './graphql-error-bodies.ts';
import { zapiniErrorBody } from './rest-error-bodies.ts';
import { trpcErrorBody } from './trpc-error-bodies.ts';

/** The four dialects the server speaks, each with its own error shape. */
export type Surface = 'rest' | 'zapini' | 'trpc' | 'graphql';

export const graphQLPath = '/core/gq';

/** What a request no route takes (an unknown path, a method its path does not take) is told. */
export const noRouteMessage = 'no route matches this method and path';

const slash = 0x2f;
/** The scheme and authority of an absolute-form target: `http://host:port`. */
const schemeAndAuthority = /^https?:\/\/[^/?#]*/i;

/**
 * The origin form (`/path?query`) of a request target. A client may send the absolute form
 * (`GET http://host/api/tags HTTP/1.1`, which a server must accept: RFC 9112 §3.2.2); without
 * its scheme and authority it names the same route, and every rule that reads the URL (the
 * surface, the key check, the routes) sees the path. Any other target is returned as it is.
 */
export function originForm(target: string): string {
  if (target.charCodeAt(0) === slash) return target;
  const prefix = schemeAndAuthority.exec(target)?.[0];
  if (prefix === undefined) return target;
  const rest = target.slice(prefix.length);
  return rest.charCodeAt(0) === slash ? rest : `/${rest}`;
}

/**
 * The dialect a request URL names: `/api/v1/…` Zapini, `/api/…` REST, `/trpc/…` tRPC,
 * `/core/gq` GraphQL; null for the server's own routes (health, metrics, documents, docs page).
 * An absolute-form URL (`http://host/api/…`) names the dialect of its path: the refusals made
 * before routing read the target as the client sent it.
 */
export function surfaceOf(url: string): Surface | null {
  const path = originForm(url).split('?', 1)[0] ?? '';
  if (path === '/api/v1' || path.startsWith('/api/v1/')) return 'zapini';
  if (path === '/api' || path.startsWith('/api/')) return 'rest';
  if (path === '/trpc' || path.startsWith('/trpc/')) return 'trpc';
  if (path === graphQLPath || path.startsWith(`${graphQLPath}/`)) return 'graphql';
  return null;
}

/**
 * The error body of a status in a surface's shape: REST `{ code, message }`, Zapini
 * `{ success: false, message }`, tRPC's error JSON, or GraphQL `{ errors: [...] }` (no `data`:
 * the request never reached execution). Outside any surface, the REST shape. 5xx say nothing
 * of their cause.
 */
export function surfaceErrorBody(surface: Surface | null, status: number, message: string): unknown {
  const code = errorCodeOfHttpStatus(status);
  const said = shownMessage(code, status, message);
  switch (surface) {
    case 'zapini':
      return zapiniErrorBody({ code, message: said });
    case 'trpc':
      return trpcErrorBody(status, said);
    case 'graphql':
      return graphQLRequestErrorBody(code, said);
    default:
      return { code, message: said };
  }
}

/** Answers the request with an error in the shape of the surface its URL names. */
export function sendSurfaceError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send(surfaceErrorBody(surfaceOf(reply.request.url), status, message));
}

/**
 * The raw HTTP response of an error answered before Fastify has a request (a timeout, headers
 * too large): the connection is closed after it.
 */
export function rawErrorResponse(surface: Surface | null, status: number, reason: string, message: string): string {
  const body = JSON.stringify(surfaceErrorBody(surface, status, message));
  return [
    `HTTP/1.1 ${status} ${reason}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}
