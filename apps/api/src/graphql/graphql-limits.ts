import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { createRequire } from 'node:module';
import type * as GraphQL from 'graphql';
import type { DocumentNode, GraphQLError, GraphQLSchema, ValidationContext, ValidationRule } from 'graphql';

// graphql ships a CommonJS and an ES module build; mercurius requires the CommonJS one, whose
// documents, errors and schema this file handles, and graphql-js refuses a schema made by the other
// copy. Node resolves `import 'graphql'` to CommonJS too, vitest to the ES module build: require it.
const graphql = createRequire(import.meta.url)('graphql') as typeof GraphQL;

/**
 * What one GraphQL request may cost, checked in order of what each check costs: bytes before
 * parsing, tokens while parsing, then aliases, depth and fields on the parsed document before
 * graphql-js validates it. Defaults admit document 003's operations and the standard
 * introspection query (1.9 KB, 163 tokens, depth 15, 240 fields).
 */
export type GraphQLLimits = {
  /** UTF-8 bytes of the `query` string; larger is refused (413) unread. */
  maxDocumentBytes: number;
  /** Lexical tokens; the parser stops at the first one over (graphql-js `maxTokens`). */
  maxTokens: number;
  /** Aliased fields per operation, `__typename` included; each alias of `tags` is a query. */
  maxAliases: number;
  /** Selection-set nesting; fragments count as the fields they spread. */
  maxDepth: number;
  /** Fields selected per operation, each fragment spread counted where it is spread. */
  maxFields: number;
  /**
   * Parsed documents kept per process (twice: valid ones and refused ones, mercurius' two LRUs);
   * 0 turns the cache off. An entry costs up to ~0.4 KB of heap per token (measured: 286 KB for
   * 1,000 tokens of aliases, 380 KB for 960 of directives), so the cache holds at most about
   * 2 × entries × maxTokens × 0.4 KB (26 MB with the defaults).
   */
  cacheEntries: number;
  /** Resolvers of one request that may wait on the database at once (its share of the pool). */
  resolverConcurrency: number;
};

export const defaultGraphQLLimits: GraphQLLimits = {
  maxDocumentBytes: 16 * 1024,
  maxTokens: 1000,
  maxAliases: 20,
  maxDepth: 15,
  maxFields: 500,
  cacheEntries: 32,
  resolverConcurrency: 2,
};

/** A request refused before execution: its status, and the GraphQL errors it answers with. */
export class GraphQLRequestRefusal extends Error {
  readonly statusCode: number;
  readonly errors: GraphQLError[];
  constructor(statusCode: number, message: string) {
    super(message);
    this.statusCode = statusCode;
    this.errors = [new graphql.GraphQLError(message)];
  }
}

/** Refuses a `query` string over `maxDocumentBytes` before the parser sees it. */
export function checkDocumentSize(source: string, limits: GraphQLLimits): void {
  // A UTF-8 byte is at least a UTF-16 unit's worth: most documents are decided without counting.
  if (source.length <= limits.maxDocumentBytes / 3) return;
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes > limits.maxDocumentBytes)
    throw new GraphQLRequestRefusal(
      413,
      `the GraphQL document is ${bytes} bytes; at most ${limits.maxDocumentBytes} are accepted`,
    );
}

// The armor rules throw a "Syntax Error: ..." by default; reported instead, without that prefix.
const report = (context: ValidationContext | null, error: GraphQLError) =>
  context?.reportError(new graphql.GraphQLError(error.message.replace(/^Syntax Error: /, '')));
const reportOptions = { propagateOnRejection: false, onReject: [report], exposeLimits: true };

/**
 * An operation whose type the schema lacks (`subscription` here) is a request error (graphql-js
 * 17's KnownOperationTypesRule; graphql-js 16 only finds out while executing).
 */
const knownOperationTypes: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (!context.getSchema().getRootType(node.operation))
      context.reportError(new graphql.GraphQLError(`the schema has no ${node.operation} operations`, { nodes: node }));
  },
});

/**
 * The aliases, depth and field-count rules (`@escape.tech/graphql-armor`), introspection included,
 * and the operation type check.
 */
export function limitRules(limits: GraphQLLimits): ValidationRule[] {
  return [
    knownOperationTypes,
    maxAliasesRule({ n: limits.maxAliases, allowList: [], ...reportOptions }),
    maxDepthRule({ n: limits.maxDepth, flattenFragments: true, ignoreIntrospection: false, ...reportOptions }),
    // Unit weights make the cost the number of fields selected.
    costLimitRule({
      maxCost: limits.maxFields,
      objectCost: 1,
      scalarCost: 1,
      depthCostFactor: 1,
      flattenFragments: true,
      ignoreIntrospection: false,
      ...reportOptions,
    }),
  ];
}

/**
 * Runs the limit rules alone on a parsed document, before graphql-js's own (some of which are
 * quadratic in the number of fields). Mercurius also accepts a `query` that is a JSON-encoded AST
 * (its fallback when parsing fails), which would skip the token limit: only documents our parser
 * produced are accepted.
 */
export function checkDocumentLimits(schema: GraphQLSchema, document: DocumentNode, rules: ValidationRule[]): void {
  if (!(document.loc?.source instanceof graphql.Source))
    throw new GraphQLRequestRefusal(400, 'Syntax Error: the query is not a GraphQL document');
  const errors = graphql.validate(schema, document, rules);
  if (errors.length > 0) {
    const refusal = new GraphQLRequestRefusal(400, errors[0]?.message ?? 'the document exceeds a limit');
    refusal.errors.splice(0, 1, ...errors);
    throw refusal;
  }
}
