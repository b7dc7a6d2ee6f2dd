import type { FastifyError, FastifyInstance } from 'fastify';
import type { ErrorBody } from '@tagging/contracts';
import { appRouter } from '../router.ts';
import type { ProcedureSurfaceOptions } from '../trpc/context.ts';
import { fastifyErrorStatus, publicMessageOf } from '../errors/framework-errors.ts';
import { restErrorBody, zapiniErrorBody } from '../errors/rest-error-bodies.ts';
import { originForm } from '../errors/surface-errors.ts';
import { answerHeadAsGet } from '../http/head-requests.ts';
import { markUnrouted, registerIdempotency } from '../http/idempotency.ts';
import { answerUnknownRoute, restHandler } from './rest-call.ts';
import { restRoutesOf, type RestRoute } from './rest-routes.ts';
import { payloadHook, requestHook } from '../http/hook-forms.ts';

export const restBasePath = '/api';
/** The Zapini dialect lives under `/api/v1` and wraps errors in its own envelope. */
const zapiniBasePath = '/api/v1/';

/** Every REST route, compiled once from the procedures' `openapi` meta. */
const restRoutes = restRoutesOf(appRouter, restBasePath);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

declare module 'fastify' {
  // Module augmentation merges only with an interface.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface FastifyContextConfig {
    /** The REST route a request matched (absent on the rest of `/api`). */
    restRoute?: RestRoute;
  }
}

/**
 * The documented REST routes, one native Fastify route per procedure with `openapi` meta (the
 * same procedures as `/trpc`; `rest-routes.ts`, `rest-call.ts`). Its own Fastify scope, so the
 * hooks below touch REST only.
 */
export async function restPlugin(app: FastifyInstance, options: ProcedureSurfaceOptions): Promise<void> {
  answerHeadAsGet(app);
  // A write's input is its body and path (as trpc-to-openapi built it); the documents also put
  // parameters (workspaceId) in the query string of writes. Merge those the route takes here,
  // once; a parameter given twice with different values is refused. A parameter the route does
  // not take is ignored, on writes as on reads (docs/DECISIONS.md; `restHandler` still checks a
  // `workspaceId` it does not take).
  app.addHook(
    'preHandler',
    requestHook((req, reply) => {
      if (req.method === 'GET' || req.method === 'DELETE') return;
      // A write with no body at all (the document's sync-tags), with or without a JSON content
      // type, is an empty JSON object.
      if (req.body === undefined) {
        req.headers['content-type'] = 'application/json';
        req.body = {};
      }
      // The route spreads the body into the input: `null`, `[]`, `"x"` or `1` would become `{}`
      // (an export of the whole workspace, say). A body, when there is one, is a JSON object.
      if (!isPlainObject(req.body))
        return reply.code(400).send({
          code: 'VALIDATION_ERROR',
          message: 'the body must be a JSON object',
          issues: [{ path: [], message: 'expected a JSON object' }],
        } satisfies ErrorBody);
      const query = isPlainObject(req.query) ? req.query : {};
      const inputKeys = req.routeOptions.config.restRoute?.inputKeys ?? null;
      const body = req.body;
      const taken = Object.entries(query).filter(([key]) => inputKeys === null || inputKeys.has(key));
      if (taken.length === 0) return;
      for (const [key, value] of taken) {
        // Own keys only: `toString` or `constructor` in the query string is a key like any other.
        if (Object.hasOwn(body, key) && body[key] !== value && String(body[key]) !== value) {
          return reply.code(400).send({
            code: 'VALIDATION_ERROR',
            message: `"${key}" differs between the query string and the body`,
            issues: [{ path: [key], message: 'differs between the query string and the body' }],
          } satisfies ErrorBody);
        }
      }
      req.body = { ...Object.fromEntries(taken), ...body };
    }),
  );

  app.addHook(
    'onSend',
    payloadHook((req, reply, payload) => {
      if (reply.statusCode < 400 || typeof payload !== 'string') return payload;
      let parsed: unknown;
      try {
        parsed = JSON.parse(payload);
      } catch {
        parsed = {};
      }
      reply.header('content-type', 'application/json; charset=utf-8');
      const body = restErrorBody(reply.statusCode, parsed);
      // (`originalUrl`: the URL as sent, before a trailing slash was trimmed for routing, maybe
      // in absolute form.)
      return JSON.stringify(originForm(req.originalUrl).startsWith(zapiniBasePath) ? zapiniErrorBody(body) : body);
    }),
  );
  // After the hooks above: it keeps the body as rewritten, and sees the merged input.
  registerIdempotency(app, options.db, options.idempotency);

  // Fastify's own errors (malformed JSON, wrong content type, body too large) in the same shape.
  app.setErrorHandler((error: FastifyError, req, reply) => {
    const status = fastifyErrorStatus(error);
    if (status >= 500) req.log.error({ err: error }, 'request failed');
    return reply.code(status).send({ message: publicMessageOf(error) });
  });

  for (const route of restRoutes)
    app.route({
      method: route.method,
      url: route.url,
      config: { restRoute: route },
      handler: restHandler(route, options),
    });
  // The rest of `/api` (an unknown path, a method its path does not take) is a 404 in the same shape.
  app.route({
    method: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
    url: `${restBasePath}/*`,
    onRequest: requestHook((req) => markUnrouted(req)),
    handler: answerUnknownRoute,
  });
}
