import { TRPCClientError } from '@trpc/client';
import {
  ErrorBody,
  ErrorCode,
  ErrorIssue,
  ZapiniErrorBody,
  errorCodeOfHttpStatus,
  errorStatus,
} from '@tagging/contracts';
import { z } from 'zod';

/** What the tRPC error formatter puts in `error.data`. */
const TrpcErrorData = z
  .object({
    errorCode: ErrorCode,
    issues: z.array(ErrorIssue).optional(),
    /** The call's own status: inside a batch the response's may be 207 (some calls succeeded). */
    httpStatus: z.number().int().optional().catch(undefined),
  })
  .loose();

/**
 * A REST error body, read leniently (a field that does not fit is dropped, never a parse
 * failure): `{ code, message, issues? }` on `/api` (the contracts' `ErrorBody`), or Zapini's
 * `{ success: false, message, errors? }` under `/api/v1` (the contracts' `ZapiniErrorBody`).
 */
const RestErrorBody = z
  .object({
    code: ErrorBody.shape.code.optional().catch(undefined),
    message: z.string().optional(),
    issues: ErrorBody.shape.issues,
    errors: ZapiniErrorBody.shape.errors,
  })
  .loose();

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
      if (data.success) {
        // The call's status, not the batch response's (207 when other calls of it succeeded).
        const callStatus = data.data.httpStatus ?? (status === 207 ? undefined : status);
        return new TaggingApiError(data.data.errorCode, error.message, data.data.issues, {
          cause: error,
          ...(callStatus === undefined ? {} : { status: callStatus }),
        });
      }
      // An event stream the server refused: the `eventsource` package's error event carries the
      // HTTP status as `code` (a 401 was taken for UNAVAILABLE, and a client retried for ever).
      const streamCode = (error.cause as { code?: unknown } | undefined)?.code;
      const httpStatus = status ?? (typeof streamCode === 'number' && streamCode >= 400 ? streamCode : undefined);
      if (httpStatus !== undefined)
        return new TaggingApiError(
          errorCodeOfHttpStatus(httpStatus),
          `request failed with HTTP status ${httpStatus}`,
          [],
          { cause: error, status: httpStatus },
        );
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
    const code = fields.code ?? errorCodeOfHttpStatus(status);
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
      errorCodeOfHttpStatus(status),
      `request failed with HTTP status ${status} (not a JSON error of this API)`,
      [],
      { status },
    );
  };
}
