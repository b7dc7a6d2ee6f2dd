import type { TRPCError } from '@trpc/server';
import mercurius from 'mercurius';
import type { GraphQLFormattedError } from 'graphql';
import { ZodError } from 'zod';
import type { ErrorCode } from '@tagging/contracts';
import { failureOf } from './api-failure.ts';
import { errorTable, internalErrorMessage } from './error-table.ts';

/**
 * A GraphQL error as the spec has it: a message and `extensions.code` (the domain code, with
 * its HTTP status for mercurius and the field issues when there are some).
 */
export const graphQLError = (code: ErrorCode, message: string, issues?: unknown) =>
  new mercurius.ErrorWithProps(message, {
    code: errorTable[code].graphQLCode,
    status: errorTable[code].httpStatus,
    ...(issues ? { issues } : {}),
  });

/** The one error of a request that failed inside: nothing of its cause. */
export const internalGraphQLError: GraphQLFormattedError = {
  message: internalErrorMessage,
  extensions: { code: errorTable.INTERNAL_ERROR.graphQLCode },
};

/** The GraphQL body of a request refused before execution: `errors` and no `data`. */
export const graphQLRequestErrorBody = (code: ErrorCode, message: string) => ({
  errors: [{ message, extensions: { code: errorTable[code].graphQLCode } }],
});

/**
 * What a resolver throws for a procedure call that failed (through the server-side caller):
 * the failure as a GraphQL error, or, for an internal error, its cause as is, which the error
 * formatter logs and answers as an internal error. An input schema's issues name the GraphQL
 * input's fields, their path segments as strings.
 */
export function graphQLErrorOf(error: TRPCError): Error {
  const failure = failureOf(error);
  if (failure.code === 'INTERNAL_ERROR') return error.cause ?? error;
  const issues =
    error.cause instanceof ZodError
      ? failure.issues?.map((issue) => ({ ...issue, path: issue.path.map(String) }))
      : failure.issues;
  return graphQLError(failure.code, failure.message, issues);
}
