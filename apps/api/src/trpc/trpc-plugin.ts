import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fastifyRequestHandler, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import { maxTrpcBatchSize } from '@tagging/contracts';
import { fastifyErrorStatus, publicMessageOf } from '../errors/framework-errors.ts';
import { trpcErrorBody } from '../errors/trpc-error-bodies.ts';
import { answerHeadAsGet } from '../http/head-requests.ts';
import { registerIdempotency } from '../http/idempotency.ts';
import { bodyLeftUnread } from '../http/request-bodies.ts';
import { appRouter, type AppRouter } from '../router.ts';
import { createRequestContext, type ProcedureSurfaceOptions } from './context.ts';
import { answerPlainCall, plainCall, procedureTypeOf } from './trpc-single-call.ts';
import { payloadHook, requestHook } from '../http/hook-forms.ts';

const isBatch = (query: unknown): boolean =>
  typeof query === 'object' && query !== null && 'batch' in query && query.batch !== undefined;

/** The methods `/trpc` takes: GET (queries, subscriptions), HEAD (as GET), POST (mutations). */
const trpcMethods = new Set(['GET', 'HEAD', 'POST']);

/**
 * Answers a method `/trpc` does not take, on any path under it (a procedure, an unknown name,
 * `/trpc` itself; `server.ts`'s not-found handler asks too, for the methods no route takes,
 * PROPFIND or SEARCH), and a subscription sent by POST (tRPC would answer 200 and send its 405
 * inside the event stream): 405 METHOD_NOT_ALLOWED with `Allow`, as RFC 9110 §15.5.6 requires
 * and as tRPC's own 405s (a query by POST, a mutation by GET) say it. Returns the sent reply, or
 * undefined when the method is one the path takes.
 */
export function refuseTrpcMethod(req: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
  if (!trpcMethods.has(req.method))
    return reply
      .code(405)
      .header('allow', 'GET, HEAD, POST')
      .send(trpcErrorBody(405, 'tRPC takes GET for queries and POST for mutations'));
  if (req.method === 'POST' && isSubscription(req.url))
    return reply.code(405).header('allow', 'GET').send(trpcErrorBody(405, 'a subscription is opened by GET'));
  return undefined;
}

/** Whether the URL names a subscription procedure (`/trpc/<path>`, not a batch). */
function isSubscription(url: string): boolean {
  return procedureTypeOf(url.split('?', 1)[0]?.slice('/trpc/'.length) ?? '') === 'subscription';
}

/** The reply takes the adapter's `Response`'s status and headers (its body is the caller's to send). */
function answerWith(reply: FastifyReply, response: Response): void {
  reply.code(response.status);
  for (const [name, value] of response.headers) reply.header(name, value);
}

/**
 * `/trpc` in a Fastify scope of its own, so that what Fastify refuses before tRPC runs (a body
 * over the limit, a content type it has no parser for) is answered in tRPC's error JSON, and
 * every error says `application/json` (tRPC's own 415 says `text/plain`).
 */
export async function trpcPlugin(app: FastifyInstance, options: ProcedureSurfaceOptions): Promise<void> {
  app.setErrorHandler((error: FastifyError, req, reply) => {
    const status = fastifyErrorStatus(error);
    if (status >= 500) req.log.error({ err: error }, 'request failed');
    return reply.code(status).send(trpcErrorBody(status, publicMessageOf(error)));
  });
  // tRPC takes GET (queries) and POST (mutations); its adapter fails on methods fetch has no
  // Request for (TRACE: a 500), so every other method is refused here first.
  app.addHook(
    'onRequest',
    requestHook((req, reply) => {
      // tRPC's adapter takes multipart bodies (form data inputs), which no procedure here has: a
      // 415 as for any other type but JSON, before the body is read.
      if (req.method === 'POST' && req.headers['content-type']?.toLowerCase().startsWith('multipart/form-data'))
        return reply.code(415).send(trpcErrorBody(415, 'unsupported content type: send application/json'));
      return refuseTrpcMethod(req, reply);
    }),
  );
  answerHeadAsGet(app);
  app.addHook(
    'onSend',
    payloadHook((req, reply, payload) => {
      // The adapter sends a fetch Response, whose status and headers Fastify applies after this
      // hook and whose body it streams (chunked: a write per chunk and one for the end).
      if (!(payload instanceof Response)) return payload;
      const jsonError = payload.status >= 400 && payload.headers.get('content-type')?.startsWith('text/plain');
      // HEAD is GET without the body: a live stream's status and headers, and no stream, which
      // would never end (attack, session 16: the HEAD hung until the client gave up).
      if (req.raw.method === 'HEAD' && payload.headers.get('content-type')?.startsWith('text/event-stream')) {
        void payload.body?.cancel();
        answerWith(reply, payload);
        return '';
      }
      // A batch may stream (httpBatchStreamLink) and a subscription does: they stay Responses, an
      // error among them labelled JSON (tRPC labels some JSON errors text/plain).
      if (isBatch(req.query) || payload.headers.get('content-type')?.startsWith('text/event-stream')) {
        // A body nobody read (a GET's) closes the connection after the stream, as any answer
        // does (`bodyLeftUnread`); tRPC's stream says keep-alive, which Fastify would send.
        const closeAfter = bodyLeftUnread(req);
        if (!jsonError && !closeAfter) return payload;
        const headers = new Headers(payload.headers);
        if (jsonError) headers.set('content-type', 'application/json; charset=utf-8');
        if (closeAfter) headers.set('connection', 'close');
        return new Response(payload.body, { status: payload.status, statusText: payload.statusText, headers });
      }
      // One call's answer is one small JSON document: sent whole, with its length, in one write
      // (issue 20: the streamed form cost a second write and the stream machinery per request).
      answerWith(reply, payload);
      if (jsonError) reply.header('content-type', 'application/json; charset=utf-8');
      return payload.text();
    }),
  );
  // Mutations (POST) with an Idempotency-Key; after the hook above, so the labelled body is kept.
  registerIdempotency(app, options.db, options.idempotency);
  const trpcOptions = {
    router: appRouter,
    // One request runs its calls at once: bounded like any other request (the SDK splits at this size).
    maxBatchSize: maxTrpcBatchSize,
    // A batch (`?batch=1`) runs several calls and gets the limiter; one call does not need it.
    createContext: ({ req }) => createRequestContext(options, req, { singleCall: !isBatch(req.query) }),
    // A refusal's own headers (Retry-After on a 429) go with the error response.
    responseMeta: ({ ctx, errors }) => (errors.length > 0 && ctx?.http.headers ? { headers: ctx.http.headers } : {}),
    onError: ({ error, req }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') req.log.error({ err: error.cause ?? error }, 'procedure failed');
    },
  } satisfies FastifyTRPCPluginOptions<AppRouter>['trpcOptions'];
  // What tRPC's `fastifyTRPCPlugin` registers (its body parsers, in a scope of their own, and one
  // route), with one call's plain case answered without the adapter (`answerPlainCall`).
  await app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    scope.removeContentTypeParser('multipart/form-data');
    scope.addContentTypeParser('multipart/form-data', {}, (_req, body, done) => done(null, body));
    scope.all<{ Params: { path: string } }>('/:path', async (req, reply) => {
      const { path } = req.params;
      const call = plainCall(req, path);
      if (call) return answerPlainCall(req, reply, options, path, call);
      await fastifyRequestHandler({ ...trpcOptions, req, res: reply, path });
      return reply;
    });
  });
}
