import { UniqueConstraintViolationException } from '@mikro-orm/core';

/** The constraint a unique violation names, if the error is one. */
function violatedUniqueConstraint(error: unknown): string | undefined {
  if (!(error instanceof UniqueConstraintViolationException)) return undefined;
  const constraint = (error as { constraint?: unknown }).constraint;
  if (typeof constraint === 'string') return constraint;
  return /constraint "([^"]+)"/.exec(error.message)?.[1] ?? '';
}

/** Runs `work`; a violation of the unique `constraint` becomes the domain's `conflict` error. */
export async function conflictOnUnique<T>(
  constraint: string,
  conflict: () => Error,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (violatedUniqueConstraint(error) === constraint) throw conflict();
    throw error;
  }
}
