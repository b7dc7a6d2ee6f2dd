import fc from 'fast-check';
import { z } from 'zod';
import { ErrorBody, ErrorCode } from '@tagging/contracts';
import type { Database } from '@tagging/domain';
import { fingerprintDatabase, type DatabaseFingerprint } from './fuzz-database.ts';

/**
 * What the fuzzers hold every response to: a success (which may have changed the database), or
 * a documented rejection of the request's dialect (which must have changed nothing); never a
 * 5xx, never a body that is not JSON, never a stack trace.
 */

export type Dialect = 'rest' | 'zapini' | 'trpc' | 'graphql';

/** One HTTP request as the fuzzers send it; `label` says in one line what it is. */
export type FuzzRequest = {
  dialect: Dialect;
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** The route answers a successful request with a file rather than JSON (export download). */
  fileOnSuccess?: boolean;
};

export type Exchange = { status: number; contentType: string; text: string };

export async function send(baseUrl: string, request: FuzzRequest): Promise<Exchange> {
  const response = await fetch(`${baseUrl}${request.path}`, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    text: await response.text(),
  };
}

const ZapiniError = z.strictObject({
  success: z.literal(false),
  message: z.string().min(1),
  errors: z.record(z.string(), z.array(z.string())).optional(),
});

const TrpcError = z.strictObject({
  error: z.strictObject({
    message: z.string().min(1),
    code: z.number().int(),
    data: z.strictObject({
      code: z.string(),
      httpStatus: z.number().int(),
      errorCode: ErrorCode,
      path: z.string().optional(),
      issues: ErrorBody.shape.issues,
    }),
  }),
});

const GraphQLResponse = z.object({
  data: z.record(z.string(), z.unknown()).nullable().optional(),
  errors: z
    .array(z.object({ message: z.string().min(1), extensions: z.object({ code: ErrorCode }).loose() }).loose())
    .min(1)
    .optional(),
});

export type Verdict = { outcome: 'applied' | 'rejected' } | { outcome: 'broken'; reason: string };

const parseJson = (text: string): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
};

/** How a response answers its request, or why it is not an acceptable answer. */
export function judge(request: FuzzRequest, exchange: Exchange): Verdict {
  const { status, contentType, text } = exchange;
  if (status >= 500) return { outcome: 'broken', reason: `status ${status}` };
  if (/\n\s+at |node_modules|\.ts:\d+/.test(text)) return { outcome: 'broken', reason: 'a stack trace in the body' };
  // A value stringified without being validated first.
  if (text.includes('[object Object]')) return { outcome: 'broken', reason: 'an unvalidated value quoted back' };
  if (request.fileOnSuccess && status >= 200 && status < 300) return { outcome: 'applied' };
  if (!contentType.startsWith('application/json'))
    return { outcome: 'broken', reason: `content-type ${JSON.stringify(contentType)}` };
  const json = parseJson(text);
  if (!json.ok) return { outcome: 'broken', reason: 'the body is not JSON' };

  if (request.dialect === 'graphql') {
    const parsed = GraphQLResponse.safeParse(json.value);
    if (!parsed.success) return { outcome: 'broken', reason: `not a GraphQL response: ${parsed.error.message}` };
    const errors = parsed.data.errors;
    if (!errors)
      return status === 200 ? { outcome: 'applied' } : { outcome: 'broken', reason: `no errors, status ${status}` };
    if (errors.some((error) => error.extensions.code === 'INTERNAL_ERROR'))
      return { outcome: 'broken', reason: 'an internal error' };
    if (status !== 200 && (status < 400 || status >= 500)) return { outcome: 'broken', reason: `status ${status}` };
    return { outcome: 'rejected' };
  }

  if (status >= 200 && status < 300) return { outcome: 'applied' };
  if (status < 400) return { outcome: 'broken', reason: `status ${status}` };
  const shape =
    request.dialect === 'rest' ? ErrorBody.strict() : request.dialect === 'zapini' ? ZapiniError : TrpcError;
  const parsed = shape.safeParse(json.value);
  if (!parsed.success)
    return { outcome: 'broken', reason: `not the ${request.dialect} error shape: ${parsed.error.message}` };
  if (request.dialect === 'trpc') {
    const httpStatus = (parsed.data as z.infer<typeof TrpcError>).error.data.httpStatus;
    if (httpStatus !== status) return { outcome: 'broken', reason: `data.httpStatus ${httpStatus} ≠ status ${status}` };
  }
  return { outcome: 'rejected' };
}

/** Sends one request and holds its answer to the rules; the fingerprint after it. */
async function checkOne(
  baseUrl: string,
  db: Database,
  request: FuzzRequest,
  before: DatabaseFingerprint,
): Promise<{ outcome: 'applied' | 'rejected'; after: DatabaseFingerprint; failure?: string }> {
  const exchange = await send(baseUrl, request);
  const verdict = judge(request, exchange);
  const answer = `→ ${exchange.status} ${exchange.text.slice(0, 400)}`;
  if (verdict.outcome === 'broken') throw new Error(`${request.label}: ${verdict.reason}\n${answer}`);
  const after = await fingerprintDatabase(db);
  const changed = Object.keys(after).filter((table) => after[table] !== before[table]);
  if (verdict.outcome === 'rejected' && changed.length > 0)
    return {
      outcome: verdict.outcome,
      after,
      failure: `${request.label}: rejected with ${exchange.status} but changed ${changed.join(', ')}\n${answer}`,
    };
  return { outcome: verdict.outcome, after };
}

/** Fixed requests (regression cases), each held to the same rules as the fuzzed ones. */
export async function checkRequests(options: {
  name: string;
  baseUrl: string;
  db: Database;
  requests: FuzzRequest[];
}): Promise<void> {
  let before = await fingerprintDatabase(options.db);
  for (const request of options.requests) {
    const { after, failure } = await checkOne(options.baseUrl, options.db, request, before);
    if (failure) throw new Error(`${options.name}: ${failure}`);
    before = after;
  }
}

/** The seed of every fuzzer (fixed, so a run is reproducible); `FUZZ_SEED` picks another. */
const fuzzSeed = Number(process.env.FUZZ_SEED ?? 20_261_123);
/** Runs per route: each file's default keeps the three fuzz files well under a minute; `FUZZ_RUNS` overrides. */
export const fuzzRuns = (runs: number) => Number(process.env.FUZZ_RUNS ?? runs);

/**
 * Sends the requests `requests` generates and judges every answer; a rejected request must leave
 * the fingerprint of the whole database as it was. The fingerprint taken after each request is
 * the "before" of the next (nothing else writes: the background worker is off).
 */
export async function fuzzRequests(options: {
  name: string;
  baseUrl: string;
  db: Database;
  requests: fc.Arbitrary<FuzzRequest>;
  numRuns: number;
}): Promise<{ applied: number; rejected: number }> {
  let before: DatabaseFingerprint = await fingerprintDatabase(options.db);
  const counts = { applied: 0, rejected: 0 };
  const readable = options.requests.map((request) =>
    Object.assign(request, {
      [fc.toStringMethod]: () => `${request.label} (${request.method} ${request.path.slice(0, 120)})`,
    }),
  );
  const property = fc.asyncProperty(readable, async (request) => {
    const { outcome, after, failure } = await checkOne(options.baseUrl, options.db, request, before);
    counts[outcome]++;
    before = after;
    if (failure) throw new Error(failure);
  });
  try {
    await fc.assert(property, {
      seed: fuzzSeed,
      numRuns: options.numRuns,
      // Shrinking replays requests that may be 1 MiB each; the label already says what failed.
      endOnFailure: !process.env.FUZZ_SHRINK,
    });
  } catch (error) {
    throw new Error(`${options.name}: replay with FUZZ_SEED=${fuzzSeed}\n${(error as Error).message}`, {
      cause: error,
    });
  }
  return counts;
}
