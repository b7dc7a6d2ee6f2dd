import mercurius, { type MercuriusContext } from 'mercurius';
import { errorCodeOfHttpStatus, type ErrorCode } from '@tagging/contracts';
import { GraphQLError, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { errorTable } from '../errors/error-table.ts';
import { internalGraphQLError } from '../errors/graphql-error-bodies.ts';

/** Document 003 sends the key bare, in a lower-case `authorization` header. */
export const missingKeyMessage = 'a valid API key is required in the authorization header (authorization: <key>)';

/**
 * The status and code of a request that failed before execution: graphql-js's syntax,
 * validation and variable errors have no original error (400); Fastify's, mercurius's and our
 * own refusals (body not JSON, too large, no key, a limit exceeded; an unreachable database
 * while authenticating) carry a 4xx or 503 status. Null for anything else.
 */
function requestRefusalOf(error: GraphQLError): { status: number; code: ErrorCode } | null {
  const original = error.originalError as (Error & { statusCode?: unknown }) | undefined;
  if (!original) return { status: 400, code: 'VALIDATION_ERROR' };
  const status = original.statusCode;
  if (typeof status === 'number' && ((status >= 400 && status < 500) || status === 503))
    return { status, code: errorCodeOfHttpStatus(status) };
  return null;
}

/** The GraphQL errors an error stands for: mercurius wraps a list of them in one (validation). */
function flattened(error: GraphQLError): GraphQLError[] {
  const inner = (error.originalError as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(inner)) return [error];
  // Compared by shape: graphql-js errors may come from either of its builds (graphql-limits.ts).
  return inner.map((item: unknown) =>
    item instanceof Error && 'toJSON' in item
      ? (item as GraphQLError)
      : new GraphQLError(String((item as Error).message)),
  );
}

/**
 * Mercurius' `errorFormatter`, as the GraphQL spec and GraphQL over HTTP have it. A request that
 * failed before execution (not JSON, no key, too large, a syntax, validation, limit or variable
 * error) answers its 4xx with `errors` and no `data` key. Errors the resolvers raise carry their
 * code and answer 200 next to `data` (503 when the database is unreachable, so clients retry).
 * Anything else is internal: 500, logged with its stack, saying nothing of SQL. Client errors are
 * not logged: the request's line says enough.
 */
export function formatGraphQLErrors(
  execution: ExecutionResult & Required<Pick<ExecutionResult, 'errors'>>,
  context: MercuriusContext,
): { statusCode: number; response: ExecutionResult | { errors: GraphQLFormattedError[] } } {
  const log = context.reply.request.log;
  const executed = execution.data !== undefined;
  if (!executed) {
    const [first] = execution.errors;
    const refusal = first ? requestRefusalOf(first) : null;
    if (!refusal) {
      log.error({ err: first?.originalError ?? first }, 'GraphQL request failed');
      return { statusCode: 500, response: { errors: [internalGraphQLError] } };
    }
    const errors = execution.errors.flatMap(flattened).map((error) => ({
      ...error.toJSON(),
      message: error.message.slice(0, 500),
      extensions: { code: errorTable[refusal.code].graphQLCode },
    }));
    return { statusCode: refusal.status, response: { errors } };
  }
  let internal = false;
  const errors = execution.errors.map((error): GraphQLFormattedError => {
    if (error.originalError instanceof mercurius.ErrorWithProps) return error.toJSON();
    internal = true;
    log.error({ err: error.originalError ?? error }, 'GraphQL resolver failed');
    return { ...internalGraphQLError, ...(error.path ? { path: error.path } : {}) };
  });
  const unavailable = errors.some((error) => error.extensions?.code === errorTable.UNAVAILABLE.graphQLCode);
  const statusCode = internal ? 500 : unavailable ? 503 : 200;
  return { statusCode, response: { data: execution.data ?? null, errors } };
}
