import type { FastifyInstance, FastifyRequest } from 'fastify';
import mercurius, { type MercuriusContext, type MercuriusOptions } from 'mercurius';
import type { z } from 'zod';
import {
  BcrumbsTagBulkPatchInput,
  BcrumbsTagCreateInput,
  BcrumbsTagsInput,
  errorStatus,
  type ErrorCode,
  type Tag,
} from '@tagging/contracts';
import {
  allTags,
  bulkPatchTags,
  createTag,
  DomainError,
  isDatabaseUnavailable,
  type Caller,
  type Database,
} from '@tagging/domain';
import type { GraphQLError } from 'graphql';
import { refusalFor } from '../auth/authorize.ts';
import { errorCodeOfHttpStatus } from '../errors/error-table.ts';
import { bcrumbsSchema } from './bcrumbs-schema.ts';

declare module 'mercurius' {
  // Module augmentation merges only with an interface.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface MercuriusContext {
    caller: Caller | null;
    db: Database;
  }
}

type GraphQLContext = MercuriusContext;

/** A GraphQL error as the spec has it: a message and `extensions.code` (the domain code). */
const graphQLError = (code: ErrorCode, message: string, issues?: unknown) =>
  new mercurius.ErrorWithProps(message, { code, status: errorStatus[code], ...(issues ? { issues } : {}) });

/** Parses a resolver's input with its contract and checks the caller may act in its workspace. */
function authorized<T extends { workspaceId: number }>(
  schema: z.ZodType<T>,
  input: unknown,
  context: GraphQLContext,
): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success)
    throw graphQLError(
      'VALIDATION_ERROR',
      'Input validation failed',
      parsed.error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message })),
    );
  const refusal = refusalFor(context.caller, parsed.data.workspaceId);
  if (refusal) throw graphQLError(refusal.code, refusal.message);
  return parsed.data;
}

/**
 * The status and code of an error raised before any resolver ran: graphql-js's syntax,
 * validation and variable errors have no original error; Fastify's and mercurius's (body not
 * JSON, too large, wrong content type) carry a 4xx status. Null for anything else.
 */
function requestRefusalOf(error: GraphQLError): { status: number; code: ErrorCode } | null {
  const original = error.originalError as (Error & { statusCode?: unknown }) | undefined;
  if (!original) return { status: 400, code: 'VALIDATION_ERROR' };
  const status = original.statusCode;
  // 503: the authentication hook found the database unreachable before GraphQL ran.
  if (typeof status === 'number' && ((status >= 400 && status < 500) || status === 503))
    return { status, code: errorCodeOfHttpStatus(status) };
  return null;
}

async function domainCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError) throw graphQLError(error.code, error.message, error.issues);
    if (isDatabaseUnavailable(error)) throw graphQLError('UNAVAILABLE', 'the database is unavailable; retry shortly');
    throw error;
  }
}

const toGraphQLTag = (tag: Tag) => ({
  workspaceId: tag.workspaceId,
  id: tag.id,
  tag: tag.name,
  type: tag.type,
  order: tag.order,
  description: tag.description,
  createdAt: tag.createdAt,
});

/**
 * `POST /core/gq`: the bcrumbs dialect, a mapping onto the same domain services. Auth is the
 * bare `authorization: <key>` header (the shared hook reads it); errors follow the GraphQL spec.
 */
export async function bcrumbsPlugin(app: FastifyInstance, options: { db: Database }): Promise<void> {
  const mercuriusOptions: MercuriusOptions = {
    schema: bcrumbsSchema,
    path: '/core/gq',
    graphiql: false,
    context: (req: FastifyRequest) => ({ caller: req.caller, db: options.db }),
    // Errors the resolvers raise carry their code (200, as GraphQL has it); a request that
    // cannot run (not JSON, too large, a syntax or validation error, bad variables) is a 4xx
    // with its code; anything else is internal and says nothing of SQL or stacks.
    errorFormatter: (execution, context) => {
      const formatted = mercurius.defaultErrorFormatter(execution, context);
      const foreign = execution.errors.filter((error) => !(error.originalError instanceof mercurius.ErrorWithProps));
      const refusals = foreign.map(requestRefusalOf);
      const refusal = refusals.every((item) => item !== null) ? refusals[0] : undefined;
      const errors = formatted.response.errors?.map((error) => {
        if (error.extensions?.code) return error;
        if (refusal) return { ...error, message: error.message.slice(0, 500), extensions: { code: refusal.code } };
        return { message: 'Internal server error', extensions: { code: 'INTERNAL_ERROR' } };
      });
      // Resolver errors answer 200, but an unreachable database is a 503 the client can retry.
      const unavailable = errors?.some((error) => error.extensions?.code === 'UNAVAILABLE') ?? false;
      const statusCode = foreign.length === 0 ? (unavailable ? 503 : 200) : refusal ? refusal.status : 500;
      return { statusCode, response: { ...formatted.response, ...(errors ? { errors } : {}) } };
    },
    resolvers: {
      Query: {
        tags: async (_root: unknown, args: { input: unknown }, context: GraphQLContext) => {
          const input = authorized(BcrumbsTagsInput, args.input, context);
          const tags = await domainCall(() =>
            allTags(context.db.fork(), input.workspaceId, { prefix: input.tag ?? null, type: input.type ?? null }),
          );
          return { nodes: tags.map(toGraphQLTag) };
        },
      },
      Mutation: {
        createTag: async (_root: unknown, args: { input: unknown }, context: GraphQLContext) => {
          const input = authorized(BcrumbsTagCreateInput, args.input, context);
          const tag = await domainCall(() =>
            createTag(context.db.fork(), input.workspaceId, {
              name: input.tag,
              type: input.type,
              ...(input.order == null ? {} : { order: input.order }),
              ...(input.description == null ? {} : { description: input.description }),
            }),
          );
          return toGraphQLTag(tag);
        },
        bulkPatchTags: async (_root: unknown, args: { input: unknown }, context: GraphQLContext) => {
          const input = authorized(BcrumbsTagBulkPatchInput, args.input, context);
          await domainCall(() => bulkPatchTags(context.db.fork(), input.workspaceId, { patches: input.patches }));
          return true;
        },
      },
    },
  };
  await app.register(mercurius, mercuriusOptions);
}
