import type { FastifyReply, FastifyRequest } from 'fastify';

type Done = (error?: Error) => void;
type PayloadDone<P> = (error: Error | null, payload?: P) => void;

const isPromise = (value: unknown): value is Promise<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';

// A rejection without a reason fails the request as Fastify fails it for an async hook.
const asError = (error: unknown): Error =>
  error instanceof Error ? error : new Error('a hook failed without a reason');

/**
 * A request hook (`onRequest`, `preHandler`) in Fastify's callback form. Written `async`, a hook
 * costs a promise and a microtask on every request whether or not it has anything to do (issue
 * 20: a REST read ran thirteen such hooks, docs/PERFORMANCE-HISTORY.md). `fn` returns a promise
 * only when it has something to wait for; otherwise the chain goes on at once. The rest is as in
 * the async form: a thrown or rejected error fails the request, and a hook that sent the reply
 * ends the chain (Fastify runs no further hook for a sent reply).
 */
export function requestHook(fn: (req: FastifyRequest, reply: FastifyReply) => unknown) {
  return (req: FastifyRequest, reply: FastifyReply, done: Done): void => {
    const result = fn(req, reply);
    if (isPromise(result))
      result.then(
        () => done(),
        (error: unknown) => done(asError(error)),
      );
    else done();
  };
}

/**
 * A hook that sees and may replace the payload (`onSend`, `preParsing`) in Fastify's callback
 * form, as `requestHook`: `fn` returns the payload to go on with (undefined keeps it), or a
 * promise of it when it has something to wait for.
 */
export function payloadHook<P = unknown>(fn: (req: FastifyRequest, reply: FastifyReply, payload: P) => unknown) {
  return (req: FastifyRequest, reply: FastifyReply, payload: P, done: PayloadDone<P>): void => {
    const result = fn(req, reply, payload);
    if (isPromise(result))
      result.then(
        (next) => done(null, next as P),
        (error: unknown) => done(asError(error)),
      );
    else done(null, result as P);
  };
}
