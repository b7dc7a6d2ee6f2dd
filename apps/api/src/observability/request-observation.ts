import { isIP } from 'node:net';
import { LogController, type FastifyInstance } from 'fastify';
import type { ForegroundLoad } from '../http/foreground-load.ts';
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

/** What the request line writes for a client address that is not an IP address. */
export const notAnAddress = 'not-an-ip-address';

/**
 * The client's address as the request line may write it: the socket's peer, or what a trusted
 * proxy forwarded (TRUST_PROXY). A forwarded one is the client's word (X-Forwarded-For may say
 * `"}` or 8,000 characters), and the line must not carry input, so only an IP address is kept.
 * Costs one `isIP` per request (a check of a short string).
 */
function clientAddressOf(address: string): string {
  return isIP(address) === 0 ? notAnAddress : address;
}

/**
 * One JSON line per completed request, one metrics observation, and one count of the process's
 * request load (`foreground`, which background work asks before it takes CPU). Never headers,
 * never a body. The line carries the request's `reqId` first, as the request's own logger would
 * write it.
 */
export function registerRequestObservation(
  app: FastifyInstance,
  metrics: RequestMetrics | undefined,
  foreground: ForegroundLoad | undefined,
): void {
  // The line's fields are the server's own (method, route pattern, status, time, address,
  // workspace id), none of which a redaction path names, so its logger has no redaction: pino
  // otherwise runs the wildcard paths' redactor on every value of every line (issue 20: ~3 % of
  // a request's CPU). The request's id (checked by `genReqId`) is written where its logger
  // binds it, so the line is unchanged. Every other line keeps the redaction.
  const lines = app.log.child({}, { redact: [] });
  app.addHook('onResponse', (req, reply, done) => {
    const route = routeLabelOf(req);
    const statusCode = reply.statusCode;
    const responseTime = reply.elapsedTime;
    metrics?.observe({ method: req.method, route, status: statusCode }, responseTime / 1000);
    foreground?.noteResponse();
    const workspaceId = req.caller?.workspaceId;
    lines.info(
      {
        reqId: req.id,
        method: req.method,
        route,
        statusCode,
        responseTime,
        clientAddress: clientAddressOf(req.ip),
        ...(workspaceId === undefined ? {} : { workspaceId }),
      },
      'request completed',
    );
    done();
  });
}
