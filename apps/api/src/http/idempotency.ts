import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  claimIdempotencyKey,
  defaultIdempotencySettings,
  isDatabaseUnavailable,
  releaseIdempotencyKey,
  storeIdempotentResponse,
  type Caller,
  type Database,
  type IdempotencySettings,
  type IdempotentRequest,
  type StoredResponse,
} from '@tagging/domain';
import { unavailableMessage } from '../errors/error-table.ts';
import { sendSurfaceError, surfaceErrorBody, surfaceOf } from '../errors/surface-errors.ts';
import { payloadHook, requestHook } from './hook-forms.ts';

/** The request header (IETF draft `Idempotency-Key`, as Stripe and others take it). */
export const idempotencyKeyHeader = 'idempotency-key';
/** Set on a replayed response, as Stripe does, so a client can tell a replay from a first answer. */
export const idempotentReplayedHeader = 'idempotent-replayed';

/** Requests answered by a catch-all route for paths no operation takes (`markUnrouted`). */
const unrouted = new WeakSet<FastifyRequest>();

/**
 * Marks a request as one no operation takes (a scope's catch-all route, as REST's `/api/*`, in
 * its route-level `onRequest`): its `Idempotency-Key` is not claimed, as for Fastify's own 404s.
 */
export function markUnrouted(req: FastifyRequest): void {
  unrouted.add(req);
}

/** Requests whose outcome has another status than their response's (`markOutcomeStatus`). */
const outcomeStatuses = new WeakMap<FastifyRequest, number>();

/**
 * Says what a request's outcome was when its response's status does not say it: GraphQL answers
 * a refused mutation (invalid input, another workspace) with 200 and the error in the body, and
 * its key must be released as REST's 400 or 403 would be (black-box attack, session 24).
 * `undefined` takes the mark back: the response's own status stands.
 */
export function markOutcomeStatus(req: FastifyRequest, status: number | undefined): void {
  if (status === undefined) outcomeStatuses.delete(req);
  else outcomeStatuses.set(req, status);
}

/** A key is 1–255 visible ASCII characters (a UUID is the usual choice). */
const keyPattern = /^[\x21-\x7e]{1,255}$/;

/** The response headers that belong to the outcome and are replayed with it (rate-limit headers, the request id, … are each request's own). */
const replayedHeaders = ['allow', 'content-type', 'etag', 'location', 'retry-after'];

/**
 * Statuses that are no outcome to replay: the request was refused before it ran (400 invalid
 * input, 401, 403, 405 a method the procedure does not take, 413 too large, 415 no JSON content
 * type) or failed in a way worth retrying (408, 429, 5xx, whose transaction rolled back). Their
 * key is released, so the next request with it runs, a corrected one included: Stripe likewise
 * keeps no result for a request that failed validation or did not run. Other statuses (2xx, and
 * outcomes such as 404, a duplicate's 409 or a stale `If-Match`'s 412) are replayed.
 */
const releases = (status: number) => status >= 500 || [400, 401, 403, 405, 408, 413, 415, 429].includes(status);

/** JSON with object keys sorted, so that the same body in another key order is the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null)
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/**
 * What another request with the key must match: the SHA-256 (hex) of method, URL (path and
 * query), the answer's format when the request chooses one (tRPC's `trpc-accept`: a streamed
 * batch or a JSON array, which a replay must answer alike) and body (parsed, keys in any order).
 */
export const requestFingerprint = (method: string, url: string, body: unknown, answerFormat = ''): string =>
  createHash('sha256')
    .update(`${method} ${url}${answerFormat ? ` ${answerFormat}` : ''}\n${canonicalJson(body)}`)
    .digest('hex');

type Claimed = { request: IdempotentRequest; claim: string };

/** Requests whose response carries a secret shown once (set by the procedures' `showsSecret` meta). */
const requestsShowingSecret = new WeakSet<FastifyRequest>();

/**
 * Marks a request whose response carries a secret shown once (a new API key, a webhook signing
 * secret): its response is never stored in `idempotency_key` (issue 19 attack finding: that
 * kept the secret in plaintext for 24 h and handed it to any replay). What is kept instead is
 * a 409 saying so (see DECISIONS.md, "Idempotency and secrets").
 */
export function markSecretShown(req: FastifyRequest): void {
  requestsShowingSecret.add(req);
}

/** The replay of a success that showed a secret: the outcome without the secret. */
const secretWithheldMessage =
  'a request with this Idempotency-Key already succeeded; its secret was shown once, in that response, and is not kept';

/** What is kept of a 2xx that showed a secret: a 409 in the surface's error shape, and its Location. */
function withheldResponse(req: FastifyRequest, response: StoredResponse): StoredResponse {
  const { location } = response.headers;
  return {
    status: 409,
    headers: { 'content-type': 'application/json; charset=utf-8', ...(location === undefined ? {} : { location }) },
    body: JSON.stringify(surfaceErrorBody(surfaceOf(req.url), 409, secretWithheldMessage)),
  };
}

/** The response as the client will get it; undefined for a stream, which is never kept. */
async function storedResponseOf(
  reply: FastifyReply,
  payload: unknown,
): Promise<{ response: StoredResponse; payload: unknown } | undefined> {
  const pick = (get: (name: string) => string | undefined) =>
    Object.fromEntries(
      replayedHeaders.flatMap((name) => {
        const value = get(name);
        return value === undefined ? [] : [[name, value]];
      }),
    );
  // The tRPC adapter sends a fetch Response, applied after this hook: read it, send it on rebuilt.
  if (payload instanceof Response) {
    const body = await payload.text();
    const headers = pick((name) => payload.headers.get(name) ?? undefined);
    return {
      response: { status: payload.status, headers, body },
      payload: new Response(body, { status: payload.status, statusText: payload.statusText, headers: payload.headers }),
    };
  }
  if (payload !== null && payload !== undefined && typeof payload !== 'string' && !Buffer.isBuffer(payload))
    return undefined;
  const body = payload === null || payload === undefined ? '' : payload.toString();
  const headers = pick((name) => {
    const value = reply.getHeader(name);
    return value === undefined ? undefined : String(value);
  });
  return { response: { status: reply.statusCode, headers, body }, payload };
}

/**
 * `Idempotency-Key` on the POSTs of one Fastify scope (REST and Zapini, tRPC mutations,
 * GraphQL), issue 19: the first request with a key claims it in PostgreSQL and its response is
 * kept; the same key with the same request (method, URL, body) then gets that response again
 * (with `Idempotent-Replayed: true`) until the key expires; with another request, 422; while the
 * first still runs, 409. A refusal or a failure (`releases`) is not kept. Keys are per API key.
 * A success that showed a secret (`markSecretShown`) is kept as a 409 without it: a secret is
 * never stored.
 *
 * Register it in a scope after the scope's own `onSend` hooks (so the response kept is the
 * one the client gets) and before the routes. A replay is sent as a Buffer, which the
 * scopes' body rewriting (which takes strings and fetch Responses) leaves as it is.
 */
export function registerIdempotency(
  app: FastifyInstance,
  db: Database,
  settings: IdempotencySettings = defaultIdempotencySettings,
): void {
  const claims = new WeakMap<FastifyRequest, Claimed>();

  // Without a key there is nothing to wait for: the hooks go on at once (`requestHook`).
  app.addHook(
    'preHandler',
    requestHook((req, reply) => {
      if (req.method !== 'POST' || req.caller === null || req.headers[idempotencyKeyHeader] === undefined) return;
      // A path no route takes (404 "no route matches") ran nothing: its key stays free for the
      // corrected request, as a refusal's (black-box attack, session 22).
      if (req.is404 || unrouted.has(req)) return;
      return claimOrAnswer(req, reply, req.caller);
    }),
  );
  async function claimOrAnswer(req: FastifyRequest, reply: FastifyReply, caller: Caller) {
    const key = req.headers[idempotencyKeyHeader];
    if (typeof key !== 'string' || !keyPattern.test(key))
      return sendSurfaceError(reply, 400, 'Idempotency-Key must be 1 to 255 visible ASCII characters, sent once');
    const request: IdempotentRequest = {
      workspaceId: caller.workspaceId,
      apiKeyId: caller.apiKeyId,
      key,
      fingerprint: requestFingerprint(
        req.method,
        req.url,
        req.body,
        typeof req.headers['trpc-accept'] === 'string' ? req.headers['trpc-accept'] : '',
      ),
    };
    let found;
    try {
      found = await claimIdempotencyKey(db, request, settings);
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw Object.assign(new Error(unavailableMessage), { statusCode: 503 });
      throw error;
    }
    switch (found.kind) {
      case 'claimed':
        claims.set(req, { request, claim: found.claim });
        return;
      case 'mismatch':
        return sendSurfaceError(reply, 422, 'this Idempotency-Key was already used with a different request');
      case 'running':
        return sendSurfaceError(reply, 409, 'a request with this Idempotency-Key is still running; retry later');
      case 'replay':
        return reply
          .code(found.response.status)
          .headers(found.response.headers)
          .header(idempotentReplayedHeader, 'true')
          .send(Buffer.from(found.response.body, 'utf8'));
    }
  }

  app.addHook(
    'onSend',
    payloadHook((req, reply, payload) => {
      const claimed = claims.get(req);
      if (!claimed) return payload;
      claims.delete(req);
      return keepOrRelease(req, reply, payload, claimed);
    }),
  );
  async function keepOrRelease(req: FastifyRequest, reply: FastifyReply, payload: unknown, claimed: Claimed) {
    const stored = await storedResponseOf(reply, payload);
    try {
      const status = outcomeStatuses.get(req) ?? stored?.response.status;
      if (!stored || status === undefined || releases(status))
        await releaseIdempotencyKey(db, claimed.request, claimed.claim);
      else {
        const showsSecret = requestsShowingSecret.has(req) && stored.response.status < 300;
        const kept = showsSecret ? withheldResponse(req, stored.response) : stored.response;
        await storeIdempotentResponse(db, claimed.request, claimed.claim, kept);
      }
    } catch (error) {
      // The outcome stands; the key stays claimed until its claim times out.
      req.log.error({ err: error }, 'could not store the idempotent response');
    }
    return stored ? stored.payload : payload;
  }
}
