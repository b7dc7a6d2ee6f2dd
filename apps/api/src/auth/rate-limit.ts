import type { FastifyInstance } from 'fastify';

export type RateLimit = { perSecond: number; burst: number };

type Bucket = { tokens: number; at: number };

/** Probes of orchestrators and monitoring: never refused for rate. */
const probes = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Per API key token buckets, in this process: `burst` requests at once, refilled at
 * `perSecond`. A caller out of tokens gets 429 with `Retry-After`. (Several processes each keep
 * their own buckets: the limit is per process, which is what protects each one.) Requests
 * without a key (the public documents) share the bucket of their client address, `req.ip`: the
 * socket's peer, or the address a trusted proxy forwarded (TRUST_PROXY), so that clients behind
 * one proxy are not limited as one.
 */
export function registerRateLimit(app: FastifyInstance, limit: RateLimit): void {
  const buckets = new Map<string, Bucket>();
  app.addHook('onRequest', async (req, reply) => {
    if (req.caller === null && probes.has(req.url.split('?', 1)[0] ?? '')) return;
    const id = req.caller === null ? `address:${req.ip}` : req.caller.apiKeyId;
    const now = Date.now();
    const bucket = buckets.get(id) ?? { tokens: limit.burst, at: now };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * limit.perSecond);
    bucket.at = now;
    buckets.set(id, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return;
    }
    const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / limit.perSecond));
    reply.header('retry-after', String(retryAfter));
    throw Object.assign(new Error(`rate limit exceeded; retry in ${retryAfter} s`), { statusCode: 429 });
  });
}
