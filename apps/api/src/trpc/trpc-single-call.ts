import type { FastifyReply, FastifyRequest } from 'fastify';
import { callTRPCProcedure, getTRPCErrorFromUnknown, getTRPCErrorShape, type AnyProcedure } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { appRouter } from '../router.ts';
import { createRequestContext, type Context, type ProcedureSurfaceOptions } from './context.ts';

/** A query (GET) or mutation (POST) of `appRouter` by its dotted path. */
type SingleCallProcedure = { type: 'query' | 'mutation' };

// tRPC keeps every procedure of a router by its dotted path (what `callTRPCProcedure` looks up).
const procedures = appRouter._def.procedures as unknown as Record<string, AnyProcedure | undefined>;

/** The type of the procedure at a tRPC path (`query`, `mutation`, `subscription`), or undefined for an unknown name. */
export const procedureTypeOf = (path: string): string | undefined => procedures[path]?._def.type;

/**
 * One plain call: its procedure, its input, and whether it came as a batch of one (`?batch=1`,
 * one path: what the SDK's `httpBatchLink` sends for a call made alone), answered as a batch.
 */
type PlainCall = { procedure: SingleCallProcedure; input: unknown; batched: boolean };

const methodOf = { query: 'GET', mutation: 'POST' } as const;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The call a request to `/trpc/<path>` makes, when it is the plain case: one query by GET or one
 * mutation by POST, alone or as a batch of one, no streaming (`trpc-accept`), no content type
 * but JSON, its input well-formed JSON (GET: one `input` parameter or none; POST: a JSON body,
 * which the plugin keeps as text; a batch's: an object whose `0` is the call's). Anything else
 * (`null`) is left to tRPC's own adapter, which answers it (batches of several calls,
 * subscriptions, HEAD, a wrong method, unparsable input, an unknown path) exactly as before.
 */
export function plainCall(req: FastifyRequest, path: string): PlainCall | null {
  const procedure = procedures[path]?._def;
  if (!procedure || (procedure.type !== 'query' && procedure.type !== 'mutation')) return null;
  if (req.method !== methodOf[procedure.type] || req.headers['trpc-accept'] !== undefined) return null;
  const contentType = req.headers['content-type'];
  if (contentType !== undefined && !/^application\/json\s*(;|$)/i.test(contentType)) return null;
  const query = req.query as Record<string, unknown>;
  // (tRPC reads a batch only from `batch=1`; any other value is left to it.)
  const batched = query.batch === '1';
  if (query.batch !== undefined && !batched) return null;
  const raw = procedure.type === 'query' ? query.input : req.body;
  if (raw === undefined && procedure.type === 'query') return { procedure, input: undefined, batched };
  if (typeof raw !== 'string' || raw === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw) as unknown;
  } catch {
    return null;
  }
  if (!batched) return { procedure, input: parsed, batched };
  if (!isObject(parsed)) return null;
  return { procedure, input: Object.hasOwn(parsed, '0') ? parsed['0'] : undefined, batched };
}

/**
 * Answers a plain call (`plainCall`) as tRPC's `resolveResponse` answers one call —
 * `{"result":{"data":…}}` with 200, or `{"error":<shape>}` with the error's status (a batch of
 * one: the same in an array, with the same status, as tRPC gives a batch whose calls agree), and the
 * refusal's own headers (`responseMeta`), `content-type: application/json`, `vary: trpc-accept,
 * accept` — without building a fetch `Request` and `Response` around it (issue 20: the adapter
 * cost about half of a tRPC call's Node CPU). The procedure runs through tRPC's own
 * `callTRPCProcedure`, as the REST routes call it; an internal error is logged as the adapter's
 * `onError` logs it. `trpc-single-call.test.ts` checks the answers equal the adapter's. A
 * Buffer, so that Fastify sends the content type as tRPC does (a string would get `;
 * charset=utf-8` added).
 */
export async function answerPlainCall(
  req: FastifyRequest,
  reply: FastifyReply,
  surface: ProcedureSurfaceOptions,
  path: string,
  call: PlainCall,
): Promise<Buffer> {
  const { type } = call.procedure;
  let ctx: Context | undefined;
  reply.header('vary', 'trpc-accept, accept').header('content-type', 'application/json');
  try {
    ctx = createRequestContext(surface, req, { singleCall: true });
    const data: unknown = await callTRPCProcedure({
      router: appRouter,
      path,
      type,
      ctx,
      getRawInput: async () => call.input,
      signal: undefined,
      batchIndex: 0,
    });
    const result = { result: { data } };
    return Buffer.from(JSON.stringify(call.batched ? [result] : result));
  } catch (cause) {
    const error = getTRPCErrorFromUnknown(cause);
    if (error.code === 'INTERNAL_SERVER_ERROR') req.log.error({ err: error.cause ?? error }, 'procedure failed');
    const shape = getTRPCErrorShape({ config: appRouter._def._config, error, type, path, input: call.input, ctx });
    reply.code(getHTTPStatusCodeFromError(error));
    if (ctx?.http.headers) reply.headers(ctx.http.headers);
    return Buffer.from(JSON.stringify(call.batched ? [{ error: shape }] : { error: shape }));
  }
}
