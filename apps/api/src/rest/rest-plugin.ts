import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { fastifyTRPCOpenApiPlugin, type CreateOpenApiFastifyPluginOptions } from 'trpc-to-openapi';
import type { ErrorBody } from '@tagging/contracts';
import { appRouter, type AppRouter } from '../router.ts';
import { createRequestContext, type ProcedureSurfaceOptions } from '../trpc/context.ts';
import { fastifyErrorStatus, publicMessageOf } from '../errors/framework-errors.ts';
import { restErrorBody, zapiniErrorBody } from '../errors/rest-error-bodies.ts';
import { answerHeadAsGet } from '../http/head-requests.ts';
import { registerIdempotency } from '../http/idempotency.ts';

export const restBasePath = '/api';
/** The Zapini dialect lives under `/api/v1` and wraps errors in its own envelope. */
const zapiniBasePath = '/api/v1/';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The documented REST routes, served by trpc-to-openapi from the same procedures as `/trpc`.
 * Its own Fastify scope, so the hooks below touch REST only.
 */
export async function restPlugin(app: FastifyInstance, options: ProcedureSurfaceOptions): Promise<void> {
  answerHeadAsGet(app);
  // The adapter builds a POST/PUT input from the body and path only; the documents also put
  // parameters (workspaceId) in the query string of writes. Merge them here, once; a parameter
  // given twice with different values is refused.
  app.addHook('preHandler', async (req, reply) => {
    if (req.method === 'GET' || req.method === 'DELETE') return;
    // A write with no body at all (the document's sync-tags), with or without a JSON content
    // type, is an empty JSON object.
    if (req.body === undefined) {
      req.headers['content-type'] = 'application/json';
      req.body = {};
    }
    // The adapter spreads the body into the input: `null`, `[]`, `"x"` or `1` would become `{}`
    // (an export of the whole workspace, say). A body, when there is one, is a JSON object.
    if (!isPlainObject(req.body))
      return reply.code(400).send({
        code: 'VALIDATION_ERROR',
        message: 'the body must be a JSON object',
        issues: [{ path: [], message: 'expected a JSON object' }],
      } satisfies ErrorBody);
    const query = isPlainObject(req.query) ? req.query : {};
    if (Object.keys(query).length === 0) return;
    const body = req.body;
    for (const [key, value] of Object.entries(query)) {
      if (key in body && body[key] !== value && String(body[key]) !== value) {
        return reply.code(400).send({
          code: 'VALIDATION_ERROR',
          message: `"${key}" differs between the query string and the body`,
          issues: [{ path: [key], message: 'differs between the query string and the body' }],
        } satisfies ErrorBody);
      }
    }
    req.body = { ...query, ...body };
  });

  // The adapter rewrites the request's URL without its base path, so the dialect is noted first.
  const zapiniRequests = new WeakSet<FastifyRequest>();
  app.addHook('onRequest', async (req) => {
    if (req.url.startsWith(zapiniBasePath)) zapiniRequests.add(req);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (reply.statusCode < 400 || typeof payload !== 'string') return payload;
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      parsed = {};
    }
    reply.header('content-type', 'application/json; charset=utf-8');
    const body = restErrorBody(reply.statusCode, parsed);
    // (A request refused before its route ran still has its own URL.)
    const zapini = zapiniRequests.has(req) || req.url.startsWith(zapiniBasePath);
    return JSON.stringify(zapini ? zapiniErrorBody(body) : body);
  });
  // After the hooks above: it keeps the body as rewritten, and sees the merged input.
  registerIdempotency(app, options.db, options.idempotency);

  // Fastify's own errors (malformed JSON, wrong content type, body too large) in the same shape.
  app.setErrorHandler((error: FastifyError, req, reply) => {
    const status = fastifyErrorStatus(error);
    if (status >= 500) req.log.error({ err: error }, 'request failed');
    return reply.code(status).send({ message: publicMessageOf(error) });
  });

  // The adapter's handler answers with `reply.send` and resolves with nothing; while an async
  // `onSend` hook (the idempotency store) still runs, Fastify would take that as "send nothing"
  // and answer a second, empty time. Resolving with the reply makes Fastify wait for the answer.
  app.addHook('onRoute', (route) => {
    const handler = route.handler;
    route.handler = async function (this: FastifyInstance, req, reply) {
      await handler.call(this, req, reply);
      return reply;
    };
  });

  const pluginOptions: CreateOpenApiFastifyPluginOptions<AppRouter> = {
    basePath: restBasePath,
    router: appRouter,
    createContext: ({ req }) => createRequestContext(options, req, { singleCall: true }),
    // A refusal's own headers (Retry-After on a 429) go with the error response too.
    responseMeta: ({ ctx, errors }) =>
      errors.length === 0 && ctx
        ? {
            ...(ctx.http.status ? { status: ctx.http.status } : {}),
            ...(ctx.http.headers ? { headers: ctx.http.headers } : {}),
          }
        : ctx?.http.headers
          ? { headers: ctx.http.headers }
          : {},
    onError: ({ error, req }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') req.log.error({ err: error.cause ?? error }, 'procedure failed');
    },
  };
  await app.register(fastifyTRPCOpenApiPlugin, pluginOptions);
}
