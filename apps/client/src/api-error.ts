import { TRPCClientError } from '@trpc/client';
import { ErrorCode, ErrorIssue, errorStatus } from '@tagging/contracts';
import { z } from 'zod';

/** What the tRPC error formatter puts in `error.data`. */
const TrpcErrorData = z.object({ errorCode: ErrorCode, issues: z.array(ErrorIssue).optional() }).loose();

/**
 * A REST error body: `{ code, message, issues? }` on `/api`, or Zapini's
 * `{ success: false, message, errors?: { field: [messages] } }` under `/api/v1`.
 */
const RestErrorBody = z
  .object({
    code: ErrorCode.optional().catch(undefined),
    message: z.string().optional(),
    issues: z.array(ErrorIssue).optional(),
    errors: z.record(z.string(), z.array(z.string())).optional(),
  })
  .loose();

const codeOfStatus = new Map<number, ErrorCode>(
  Object.entries(errorStatus).map(([code, status]) => [status, code as ErrorCode]),
);

/**
 * The code of an HTTP status whose body carried none of ours (a proxy's page, a refusal of the
 * HTTP layer): the table's code for the status, else by class. 500 is an internal error; any
 * other 5xx (a gateway's 502/504) is the service being unavailable.
 */
function codeOfHttpStatus(status: number): ErrorCode {
  const known = codeOfStatus.get(status);
  if (known) return known;
  if (status >= 500) return status === 500 ? 'INTERNAL_ERROR' : 'UNAVAILABLE';
  return 'VALIDATION_ERROR';
}

/** What tRPC's HTTP links keep of the response behind an error. */
const statusOfMeta = (meta: unknown): number | undefined => {
  const response = (meta as { response?: unknown } | undefined)?.response;
  return response instanceof Response ? response.status : undefined;
};

/** Every failed call, whatever the transport: the documented code, its HTTP status, field issues. */
export class TaggingApiError extends Error {
  readonly code: ErrorCode;
  /** The response's HTTP status; the code's own status when there was no response. */
  readonly status: number;
  readonly issues: ErrorIssue[];

  constructor(
    code: ErrorCode,
    message: string,
    issues: ErrorIssue[] = [],
    options?: { cause?: unknown; status?: number },
  ) {
    super(message, options);
    this.name = 'TaggingApiError';
    this.code = code;
    this.status = options?.status ?? errorStatus[code];
    this.issues = issues;
  }

  /**
   * The typed error behind anything a tRPC client call threw: the server's error JSON when there
   * is one; otherwise the transport's failure as what it is (the HTTP status of a response that
   * was not tRPC's JSON, UNAVAILABLE when no response came back).
   */
  static from(error: unknown): TaggingApiError {
    if (error instanceof TaggingApiError) return error;
    if (error instanceof TRPCClientError) {
      if (error.cause instanceof TaggingApiError) return error.cause;
      const data = TrpcErrorData.safeParse(error.data);
      const status = statusOfMeta(error.meta);
      if (data.success)
        return new TaggingApiError(data.data.errorCode, error.message, data.data.issues, {
          cause: error,
          ...(status === undefined ? {} : { status }),
        });
      if (status !== undefined)
        return new TaggingApiError(codeOfHttpStatus(status), `request failed with HTTP status ${status}`, [], {
          cause: error,
          status,
        });
      return TaggingApiError.unreachable(error);
    }
    return new TaggingApiError('INTERNAL_ERROR', error instanceof Error ? error.message : String(error), [], {
      cause: error,
    });
  }

  /** The typed error of a REST response that failed: its status and its JSON body (either dialect). */
  static fromResponse(status: number, body: unknown): TaggingApiError {
    const parsed = RestErrorBody.safeParse(body);
    const fields = parsed.success ? parsed.data : {};
    const code = fields.code ?? codeOfHttpStatus(status);
    const issues =
      fields.issues ??
      Object.entries(fields.errors ?? {}).flatMap(([field, messages]) =>
        messages.map((message) => ({ path: field.split('.'), message })),
      );
    // A body that is not ours (a proxy's HTML page) is not a message.
    const message = fields.message ?? `request failed with HTTP status ${status} (not a JSON error of this API)`;
    return new TaggingApiError(code, message, issues, { cause: body, status });
  }

  /** No response at all: the server could not be reached. */
  static unreachable(error: unknown): TaggingApiError {
    return new TaggingApiError('UNAVAILABLE', error instanceof Error ? error.message : String(error), [], {
      cause: error,
    });
  }
}

/**
 * A fetch for tRPC's links that turns a failed response whose body is not JSON (a proxy's or
 * the HTTP server's page) into a TaggingApiError with its status, instead of a JSON parse error
 * that would say nothing of what happened.
 */
export function transportCheckedFetch(base: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await base(input, init);
    if (response.ok || response.headers.get('content-type')?.toLowerCase().includes('json')) return response;
    const status = response.status;
    await response.body?.cancel();
    throw new TaggingApiError(
      codeOfHttpStatus(status),
      `request failed with HTTP status ${status} (not a JSON error of this API)`,
      [],
      { status },
    );
  };
}
