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
import { allTags, bulkPatchTags, createTag, DomainError, type Caller, type Database } from '@tagging/domain';
import { refusalFor } from '../auth/authorize.ts';
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

async function domainCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DomainError) throw graphQLError(error.code, error.message, error.issues);
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
    // Internal failures say nothing of SQL or stacks.
    errorFormatter: (execution, context) => {
      const formatted = mercurius.defaultErrorFormatter(execution, context);
      const errors = formatted.response.errors?.map((error) =>
        error.extensions?.code ? error : { message: 'Internal server error', extensions: { code: 'INTERNAL_ERROR' } },
      );
      return { statusCode: 200, response: { ...formatted.response, ...(errors ? { errors } : {}) } };
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
