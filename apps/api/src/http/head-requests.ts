import type { FastifyInstance } from 'fastify';

/**
 * HEAD on `/trpc`: tRPC's adapter knows only GET and answered HEAD with a bare 204, whatever GET
 * would say. RFC 9110
 * §9.3.2: HEAD is GET without the body. The request is handed to the adapter as a GET; Node's
 * response, created for a HEAD, sends the status and headers (Content-Length, ETag) without a body.
 */
export function answerHeadAsGet(app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => {
    if (req.raw.method === 'HEAD') req.raw.method = 'GET';
  });
}
