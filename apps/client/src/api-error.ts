import { TRPCClientError } from '@trpc/client';
import { ErrorCode, ErrorIssue, errorStatus } from '@tagging/contracts';
import { z } from 'zod';

const ErrorData = z.object({ errorCode: ErrorCode, issues: z.array(ErrorIssue).optional() }).loose();

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

  /** The typed error behind anything a client call threw (network failures become UNAVAILABLE). */
  static from(error: unknown): TaggingApiError {
    if (error instanceof TaggingApiError) return error;
    if (error instanceof TRPCClientError) {
      const data = ErrorData.safeParse(error.data);
      if (data.success)
        return new TaggingApiError(data.data.errorCode, error.message, data.data.issues, { cause: error });
      return new TaggingApiError('UNAVAILABLE', error.message, [], { cause: error });
    }
    return new TaggingApiError('INTERNAL_ERROR', error instanceof Error ? error.message : String(error), [], {
      cause: error,
    });
  }
}
