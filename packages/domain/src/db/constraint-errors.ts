import { UniqueConstraintViolationException } from '@mikro-orm/core';

/** The constraint a unique violation names, if the error is one. */
export function violatedUniqueConstraint(error: unknown): string | undefined {
  if (!(error instanceof UniqueConstraintViolationException)) return undefined;
  const constraint = (error as { constraint?: unknown }).constraint;
  if (typeof constraint === 'string') return constraint;
  return /constraint "([^"]+)"/.exec(error.message)?.[1] ?? '';
}
