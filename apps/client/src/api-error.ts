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

/** Every failed call, whatever the transport: the documented code, its HTTP status, field issues. */
export class TaggingApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly issues: ErrorIssue[];

  constructor(code: ErrorCode, message: string, issues: ErrorIssue[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TaggingApiError';
    this.code = code;
    this.status = errorStatus[code];
    this.issues = issues;
  }

  /** The typed error behind anything a tRPC client call threw (network failures become UNAVAILABLE). */
  static from(error: unknown): TaggingApiError {
    if (error instanceof TaggingApiError) return error;
    if (error instanceof TRPCClientError) {
      const data = TrpcErrorData.safeParse(error.data);
      if (data.success)
        return new TaggingApiError(data.data.errorCode, error.message, data.data.issues, { cause: error });
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
    // A status outside the table (a proxy's 502, say) still gets a code of the right kind.
    const code = fields.code ?? codeOfStatus.get(status) ?? (status >= 500 ? 'UNAVAILABLE' : 'VALIDATION_ERROR');
    const issues =
      fields.issues ??
      Object.entries(fields.errors ?? {}).flatMap(([field, messages]) =>
        messages.map((message) => ({ path: field.split('.'), message })),
      );
    const message =
      fields.message ?? (typeof body === 'string' && body ? body : `Request failed with status ${status}`);
    return new TaggingApiError(code, message, issues, { cause: body });
  }

  /** No response at all: the server could not be reached. */
  static unreachable(error: unknown): TaggingApiError {
    return new TaggingApiError('UNAVAILABLE', error instanceof Error ? error.message : String(error), [], {
      cause: error,
    });
  }
}
