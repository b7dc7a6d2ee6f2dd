import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import { surfaceErrorBody, surfaceOf } from '../errors/surface-errors.ts';
import { bodyLimitOf, tooLargeMessage, type BodyLimits } from './body-limits.ts';

/**
 * Answers a request before Fastify has it, in the error shape of the surface its URL names, and
 * closes the connection (its body is never read). One `request refused` log line, as for Node's
 * client errors (`http-limits.ts`).
 */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, message: string, log: FastifyBaseLogger) {
  const body = JSON.stringify(surfaceErrorBody(surfaceOf(req.url ?? ''), status, message));
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  });
  res.end(body);
  log.info({ statusCode: status, clientAddress: req.socket.remoteAddress ?? 'unknown' }, 'request refused');
}

/**
 * `Expect` on an HTTP/1.1 request (Node emits these two events only for requests that carry
 * the header: nothing runs for any other request):
 * - `100-continue`: a `Content-Length` over the route's body limit (`bodyLimitOf`: the route is
 *   known from the method and URL alone) is refused 413 at once, without `100 Continue`, so the
 *   client never sends the body; otherwise `100 Continue` and the request goes on to Fastify.
 *   Node's default sent 100 to everything, then Fastify's 413.
 * - any other expectation: 417 in the surface's error shape (Node's own had an empty body).
 */
export function answerExpectations(server: Server, limits: BodyLimits, log: FastifyBaseLogger): void {
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    const limit = bodyLimitOf(req.method ?? 'GET', req.url ?? '/', limits);
    if (Number(req.headers['content-length']) > limit) return refuse(req, res, 413, tooLargeMessage(limit), log);
    res.writeContinue();
    server.emit('request', req, res);
  });
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) =>
    refuse(req, res, 417, 'the only expectation taken is 100-continue', log),
  );
}
