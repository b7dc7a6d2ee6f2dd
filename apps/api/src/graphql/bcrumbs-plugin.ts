import type { FastifyInstance, FastifyRequest } from 'fastify';
import mercurius, { type MercuriusContext, type MercuriusOptions } from 'mercurius';
import pLimit from 'p-limit';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPCError } from '@trpc/server';
import type { Caller } from '@tagging/domain';
import { graphQLErrorOf } from '../errors/graphql-error-bodies.ts';
import { markOutcomeStatus, registerIdempotency } from '../http/idempotency.ts';
import { createRequestContext, type ProcedureSurfaceOptions } from '../trpc/context.ts';
import { createBcrumbsCaller } from '../trpc/server-callers.ts';
import { bcrumbsSchema } from './bcrumbs-schema.ts';
import { DateTimeScalar } from './date-time-scalar.ts';
import { formatGraphQLErrors, missingKeyMessage } from './graphql-errors.ts';
import {
  checkDocumentLimits,
  checkDocumentSize,
  defaultGraphQLLimits,
  GraphQLRequestRefusal,
  limitRules,
  type GraphQLLimits,
} from './graphql-limits.ts';
import { requestHook } from '../http/hook-forms.ts';

type BcrumbsProcedures = ReturnType<typeof createBcrumbsCaller>;

declare module 'mercurius' {
  // Module augmentation merges only with an interface.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface MercuriusContext {
    caller: Caller | null;
    /**
     * The bcrumbs procedures, called with this request's context, whose share of the database
     * (`resolverConcurrency` calls at once) the resolvers' procedure calls queue on.
     */
    procedures: BcrumbsProcedures;
  }
}

type GraphQLContext = MercuriusContext;

/**
 * One procedure call of a resolver. The procedure waits for the request's share of the database,
 * authorizes, parses the input with its contract, forks the EntityManager and maps a domain
 * failure, as for every other transport; the failure becomes a GraphQL error here.
 */
async function procedureCall<T>(
  context: GraphQLContext,
  call: (procedures: BcrumbsProcedures) => Promise<T>,
): Promise<T> {
  try {
    return await call(context.procedures);
  } catch (error) {
    throw error instanceof TRPCError ? graphQLErrorOf(error) : error;
  }
}

/** Requests of which a mutation has run (its effects are the outcome an Idempotency-Key keeps). */
const mutationsRan = new WeakSet<FastifyRequest>();

/**
 * A mutation's procedure call. GraphQL answers its failure with 200, so the outcome's status is
 * marked for the Idempotency-Key (`markOutcomeStatus`): a refusal (400, 403, …) with nothing run
 * releases the key as on REST; once a mutation of the document has run, the response is kept.
 */
async function mutationCall<T>(
  context: GraphQLContext,
  call: (procedures: BcrumbsProcedures) => Promise<T>,
): Promise<T> {
  const req = context.reply.request;
  return procedureCall(context, async (procedures) => {
    try {
      const result = await call(procedures);
      mutationsRan.add(req);
      markOutcomeStatus(req, undefined);
      return result;
    } catch (error) {
      if (!mutationsRan.has(req))
        markOutcomeStatus(req, error instanceof TRPCError ? getHTTPStatusCodeFromError(error) : 500);
      throw error;
    }
  });
}

/**
 * `POST /core/gq`: the bcrumbs dialect, a mapping onto the same domain services. Auth is the
 * bare `authorization: <key>` header (the shared hook reads it), required before the body is
 * read; a document is bounded by `limits` before it is parsed and validated; errors follow the
 * GraphQL spec.
 */
export async function bcrumbsPlugin(
  app: FastifyInstance,
  options: ProcedureSurfaceOptions & { limits?: Partial<GraphQLLimits> },
): Promise<void> {
  const limits: GraphQLLimits = { ...defaultGraphQLLimits, ...options.limits };
  const rules = limitRules(limits);

  // Runs after the shared authentication hook and before the body is parsed: a request without
  // a valid key costs no parsing, GraphQL or database work.
  app.addHook(
    'onRequest',
    requestHook((req) => {
      if (req.caller === null) throw new GraphQLRequestRefusal(401, missingKeyMessage);
    }),
  );
  // A mutation sent with an Idempotency-Key (every GraphQL request is a POST).
  registerIdempotency(app, options.db, options.idempotency);

  const mercuriusOptions: MercuriusOptions = {
    schema: bcrumbsSchema,
    path: '/core/gq',
    graphiql: false,
    // Entries are bounded by the token limit; their number bounds the cache's memory.
    cache: limits.cacheEntries > 0 ? limits.cacheEntries : false,
    graphql: { parseOptions: { maxTokens: limits.maxTokens } },
    // The request's own share, sized by the setting, replaces tRPC's `callsInFlightPerRequest`
    // (a second limiter around the calls could not raise it).
    context: (req: FastifyRequest) => ({
      caller: req.caller,
      procedures: createBcrumbsCaller(
        createRequestContext(options, req, { databaseShare: pLimit(limits.resolverConcurrency) }),
      ),
    }),
    errorFormatter: formatGraphQLErrors,
    // Arguments arrive as GraphQL parsed them; each procedure's input schema parses them (`as never`
    // hands them over unchecked, as the REST and tRPC adapters do).
    resolvers: {
      DateTime: DateTimeScalar,
      Query: {
        tags: (_root: unknown, args: { input: unknown }, context: GraphQLContext) =>
          procedureCall(context, (procedures) => procedures.tags(args.input as never)),
      },
      Mutation: {
        createTag: (_root: unknown, args: { input: unknown }, context: GraphQLContext) =>
          mutationCall(context, (procedures) => procedures.createTag(args.input as never)),
        bulkPatchTags: (_root: unknown, args: { input: unknown }, context: GraphQLContext) =>
          mutationCall(context, (procedures) => procedures.bulkPatchTags(args.input as never)),
      },
    },
  };
  await app.register(mercurius, mercuriusOptions);
  app.graphql.addHook('preParsing', (_schema, source) => checkDocumentSize(source, limits));
  app.graphql.addHook('preValidation', (schema, document) => checkDocumentLimits(schema, document, rules));
}
