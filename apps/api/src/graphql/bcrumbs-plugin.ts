import type { FastifyInstance, FastifyRequest } from 'fastify';
import mercurius, { type MercuriusContext, type MercuriusOptions } from 'mercurius';
import pLimit, { type LimitFunction } from 'p-limit';
import type { z } from 'zod';
import { BcrumbsTagBulkPatchInput, BcrumbsTagCreateInput, BcrumbsTagsInput, type Tag } from '@tagging/contracts';
import {
  allTags,
  bulkPatchTags,
  createTag,
  DomainError,
  isDatabaseUnavailable,
  type Caller,
  type Database,
} from '@tagging/domain';
import { refusalFor } from '../auth/authorize.ts';
import { bcrumbsSchema } from './bcrumbs-schema.ts';
import { formatGraphQLErrors, graphQLError, missingKeyMessage } from './graphql-errors.ts';
import {
  checkDocumentLimits,
  checkDocumentSize,
  defaultGraphQLLimits,
  GraphQLRequestRefusal,
  limitRules,
  type GraphQLLimits,
} from './graphql-limits.ts';

declare module 'mercurius' {
  // Module augmentation merges only with an interface.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface MercuriusContext {
    caller: Caller | null;
    db: Database;
    /** This request's share of the database: resolvers' domain calls queue here. */
    limit: LimitFunction;
  }
}

type GraphQLContext = MercuriusContext;

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
  if (refusal) throw graphQLError(refusal.code, refusal.code === 'UNAUTHORIZED' ? missingKeyMessage : refusal.message);
  return parsed.data;
}

/** One domain call of a resolver, within the request's concurrency limit, its errors mapped. */
async function domainCall<T>(context: GraphQLContext, work: () => Promise<T>): Promise<T> {
  try {
    return await context.limit(work);
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
 * bare `authorization: <key>` header (the shared hook reads it), required before the body is
 * read; a document is bounded by `limits` before it is parsed and validated; errors follow the
 * GraphQL spec.
 */
export async function bcrumbsPlugin(
  app: FastifyInstance,
  options: { db: Database; limits?: Partial<GraphQLLimits> },
): Promise<void> {
  const limits: GraphQLLimits = { ...defaultGraphQLLimits, ...options.limits };
  const rules = limitRules(limits);

  // Runs after the shared authentication hook and before the body is parsed: a request without
  // a valid key costs no parsing, GraphQL or database work.
  app.addHook('onRequest', async (req) => {
    if (req.caller === null) throw new GraphQLRequestRefusal(401, missingKeyMessage);
  });

  const mercuriusOptions: MercuriusOptions = {
    schema: bcrumbsSchema,
    path: '/core/gq',
    graphiql: false,
    // Entries are bounded by the token limit; their number bounds the cache's memory.
    cache: limits.cacheEntries > 0 ? limits.cacheEntries : false,
    graphql: { parseOptions: { maxTokens: limits.maxTokens } },
    context: (req: FastifyRequest) => ({
      caller: req.caller,
      db: options.db,
      limit: pLimit(limits.resolverConcurrency),
    }),
    errorFormatter: formatGraphQLErrors,
    resolvers: {
      Query: {
        tags: async (_root: unknown, args: { input: unknown }, context: GraphQLContext) => {
          const input = authorized(BcrumbsTagsInput, args.input, context);
          const tags = await domainCall(context, () =>
            allTags(context.db.fork(), input.workspaceId, { prefix: input.tag ?? null, type: input.type ?? null }),
          );
          return { nodes: tags.map(toGraphQLTag) };
        },
      },
      Mutation: {
        createTag: async (_root: unknown, args: { input: unknown }, context: GraphQLContext) => {
          const input = authorized(BcrumbsTagCreateInput, args.input, context);
          const tag = await domainCall(context, () =>
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
          await domainCall(context, () =>
            bulkPatchTags(context.db.fork(), input.workspaceId, { patches: input.patches }),
          );
          return true;
        },
      },
    },
  };
  await app.register(mercurius, mercuriusOptions);
  app.graphql.addHook('preParsing', (_schema, source) => checkDocumentSize(source, limits));
  app.graphql.addHook('preValidation', (schema, document) => checkDocumentLimits(schema, document, rules));
}
