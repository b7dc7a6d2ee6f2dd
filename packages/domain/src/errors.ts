import type { ErrorCode, ErrorIssue } from '@tagging/contracts';

/** The one error type the domain throws; transports map `code` through one table. */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly issues: ErrorIssue[] | undefined;
  /** For a refusal that may succeed later (RATE_LIMITED): how long to wait, in seconds. */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, issues?: ErrorIssue[], options?: { retryAfterSeconds?: number }) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.issues = issues;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

export const notFound = (what: string, id: string | number) => new DomainError('NOT_FOUND', `${what} ${id} not found`);
