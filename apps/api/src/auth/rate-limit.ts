import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';

/** At most `max` requests per API key in each window of `timeWindowMs` (a fixed window, per process). */
export type RateLimit = { max: number; timeWindowMs: number };

/** Probes of orchestrators and monitoring: never refused for rate. */
const probes = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Per API key rate limits with `@fastify/rate-limit` (issue 19), counted in this process (each
 * process protects itself; N processes allow N times the limit). Every response to a caller
 * with a key carries the IETF draft headers `RateLimit-Limit`, `RateLimit-Remaining` and
 * `RateLimit-Reset` (seconds); past the limit, 429 with `Retry-After`, in the error shape of
 * the surface (each scope's error handler writes it, as for any refusal). Requests without a
 * key, and those outside the surfaces (the public documents, where a key is not looked up),
 * share the limit of their client address, `req.ip`: the socket's
 * peer, or the address a trusted proxy forwarded (TRUST_PROXY), so that clients behind one proxy
 * are not limited as one. Probes (health, readiness, metrics) are never limited. Register it before the routes: it attaches itself to each route.
 */
export async function registerRateLimit(app: FastifyInstance, limit: RateLimit): Promise<void> {
  await app.register(fastifyRateLimit, {
    global: true,
    max: limit.max,
    timeWindow: limit.timeWindowMs,
    // A route's own onRequest hook: it runs after authentication has resolved the caller.
    hook: 'onRequest',
    enableDraftSpec: true,
    keyGenerator: (req) => req.caller?.apiKeyId ?? req.ip,
    allowList: (req) => req.caller === null && probes.has(req.url.split('?', 1)[0] ?? ''),
    errorResponseBuilder: (_req, context) => {
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return Object.assign(new Error(`rate limit exceeded; retry in ${seconds} s`), { statusCode: context.statusCode });
    },
  });
}
