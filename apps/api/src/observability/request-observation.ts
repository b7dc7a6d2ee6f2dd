import { LogController, type FastifyInstance } from 'fastify';
import type { RequestMetrics } from './metrics.ts';
import { routeLabelOf } from './route-label.ts';

/**
 * Fastify's internal log lines without its per-request ones, which the hook below replaces: they
 * come two per request and log the raw URL (with its query string, which can carry anything).
 * Its error lines stay.
 */
export class RequestLineController extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(): void {}
  override routeNotFound(): void {}
}

/**
 * One JSON line per completed request (its `reqId` comes from the request's logger), and one
 * metrics observation. Never headers, never a body.
 */
export function registerRequestObservation(app: FastifyInstance, metrics: RequestMetrics | undefined): void {
  app.addHook('onResponse', (req, reply, done) => {
    const route = routeLabelOf(req);
    const statusCode = reply.statusCode;
    const responseTime = reply.elapsedTime;
    metrics?.observe({ method: req.method, route, status: statusCode }, responseTime / 1000);
    const workspaceId = req.caller?.workspaceId;
    req.log.info(
      {
        method: req.method,
        route,
        statusCode,
        responseTime,
        // The client's address: the socket's peer, or what a trusted proxy forwarded (TRUST_PROXY).
        clientAddress: req.ip,
        ...(workspaceId === undefined ? {} : { workspaceId }),
      },
      'request completed',
    );
    done();
  });
}
