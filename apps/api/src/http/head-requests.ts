import type { FastifyInstance, FastifyRequest } from 'fastify';
import { payloadHook, requestHook } from './hook-forms.ts';

/**
 * HEAD on the scopes serving the procedures (the REST routes, `/trpc`): tRPC's adapter knows only
 * GET, and trpc-to-openapi's (which served REST until issue 20) answered HEAD with a bare 204,
 * whatever GET would say. RFC 9110 §9.3.2: HEAD is GET without the body. The request is handled
 * as a GET, and is a HEAD again once its answer is ready: Fastify then keeps the GET's headers
 * (Content-Length, ETag) and Node's response, created for a HEAD, sends no body.
 */
export function answerHeadAsGet(app: FastifyInstance): void {
  const heads = new WeakSet<FastifyRequest>();
  app.addHook(
    'onRequest',
    requestHook((req) => {
      if (req.raw.method !== 'HEAD') return;
      heads.add(req);
      req.raw.method = 'GET';
    }),
  );
  app.addHook(
    'onSend',
    payloadHook((req, _reply, payload) => {
      if (heads.has(req)) req.raw.method = 'HEAD';
      return payload;
    }),
  );
}
