import type { ErrorCode, ErrorIssue } from '@tagging/contracts';

/** The one error type the domain throws; transports map `code` through one table. */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly issues: ErrorIssue[] | undefined;

  constructor(code: ErrorCode, message: string, issues?: ErrorIssue[]) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.issues = issues;
  }
}

export const notFound = (what: string, id: string | number) => new DomainError('NOT_FOUND', `${what} ${id} not found`);
