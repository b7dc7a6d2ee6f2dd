import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../testing/test-server.ts';
import { buildFuzzWorld } from './support/fuzz-fixtures.ts';
import { jsonBody } from './support/fuzz-http.ts';
import { checkRequests, fuzzRequests, fuzzRuns, send, type FuzzRequest } from './support/fuzz-oracle.ts';
import { describe as show, malformedJsonBodies, oddContentTypes, type JsonSchema } from './support/fuzz-values.ts';

/**
 * Every operation of the bcrumbs GraphQL schema, found by introspection, with variables derived
 * from its input types and then mutated, plus documents that are not GraphQL: each answer is
 * data, or `errors` whose `extensions.code` is a documented code (never INTERNAL_ERROR, never a
 * 5xx), and a rejected operation changes nothing.
 */

type TypeRef = { kind: string; name: string | null; ofType: TypeRef | null };
type InputValue = { name: string; type: TypeRef };
type FullType = {
  kind: string;
  name: string;
  fields: { name: string; args: InputValue[]; type: TypeRef }[] | null;
  inputFields: InputValue[] | null;
  enumValues: { name: string }[] | null;
};

const typeRef = 'kind name ofType { kind name ofType { kind name ofType { kind name } } }';
const introspection = `{ __schema { queryType { name } mutationType { name }
  types { kind name fields { name args { name type { ${typeRef} } } type { ${typeRef} } }
          inputFields { name type { ${typeRef} } } enumValues { name } } } }`;

const server = await startTestServer({ worker: false, changeEvents: false });
afterAll(() => server.close());
const world = await buildFuzzWorld(server);

const graphQLRequest = (
  label: string,
  body: string | undefined,
  contentType = 'application/json',
  apiKey = world.own.apiKey,
): FuzzRequest => ({
  dialect: 'graphql',
  label,
  method: 'POST',
  path: '/core/gq',
  headers: { ...(apiKey ? { authorization: apiKey } : {}), 'content-type': contentType },
  ...(body === undefined ? {} : { body }),
});

const schema = JSON.parse(
  (await send(server.url, graphQLRequest('introspection', JSON.stringify({ query: introspection })))).text,
) as {
  data: { __schema: { queryType: { name: string }; mutationType: { name: string } | null; types: FullType[] } };
};
const types = new Map(schema.data.__schema.types.map((type) => [type.name, type]));

const named = (ref: TypeRef): TypeRef => (ref.ofType ? named(ref.ofType) : ref);
const typeText = (ref: TypeRef): string =>
  ref.kind === 'NON_NULL'
    ? `${typeText(ref.ofType as TypeRef)}!`
    : ref.kind === 'LIST'
      ? `[${typeText(ref.ofType as TypeRef)}]`
      : String(ref.name);

/** The JSON Schema of a GraphQL input type, so that the REST and tRPC generators serve here too. */
function jsonSchemaOf(ref: TypeRef, field?: string): JsonSchema {
  const nullable = (inner: JsonSchema): JsonSchema => ({ anyOf: [inner, { type: 'null' }] });
  if (ref.kind === 'NON_NULL') return jsonSchemaOf(ref.ofType as TypeRef, field).anyOf?.[0] ?? {};
  if (ref.kind === 'LIST') return nullable({ type: 'array', items: jsonSchemaOf(ref.ofType as TypeRef, field) });
  const type = types.get(String(ref.name));
  if (ref.kind === 'ENUM') return nullable({ enum: type?.enumValues?.map((value) => value.name) ?? [] });
  if (ref.kind === 'INPUT_OBJECT') {
    const fields = type?.inputFields ?? [];
    return nullable({
      type: 'object',
      properties: Object.fromEntries(fields.map((input) => [input.name, jsonSchemaOf(input.type, input.name)])),
      required: fields.filter((input) => input.type.kind === 'NON_NULL').map((input) => input.name),
    });
  }
  if (ref.name === 'Int') return nullable({ type: 'integer', minimum: -(2 ** 31), maximum: 2 ** 31 - 1 });
  if (ref.name === 'Boolean') return nullable({ type: 'boolean' });
  // The only ids the schema takes are tag ids.
  if (field === 'id') return nullable({ type: 'string', pattern: '^wtag_' });
  return nullable({ type: 'string', maxLength: 100 });
}

/** A selection of every scalar field of an output type (one level into object fields). */
function selectionOf(ref: TypeRef, depth = 0): string {
  const type = types.get(String(named(ref).name));
  if (!type?.fields) return '';
  const fields = type.fields
    .map((field) => {
      const inner = selectionOf(field.type, depth + 1);
      return inner ? (depth < 2 ? `${field.name} ${inner}` : '') : field.name;
    })
    .filter(Boolean);
  return `{ ${fields.join(' ')} }`;
}

type Operation = { kind: 'query' | 'mutation'; name: string; document: string; variables: JsonSchema };

const operations: Operation[] = (['query', 'mutation'] as const).flatMap((kind) => {
  const root = kind === 'query' ? schema.data.__schema.queryType : schema.data.__schema.mutationType;
  return (types.get(root?.name ?? '')?.fields ?? []).map((field) => {
    const declared = field.args.map((arg) => `$${arg.name}: ${typeText(arg.type)}`).join(', ');
    const passed = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
    const document = `${kind} ${field.name}${declared ? `(${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''} ${selectionOf(field.type)} }`;
    return {
      kind,
      name: field.name,
      document,
      variables: {
        type: 'object',
        properties: Object.fromEntries(field.args.map((arg) => [arg.name, jsonSchemaOf(arg.type, arg.name)])),
        required: field.args.filter((arg) => arg.type.kind === 'NON_NULL').map((arg) => arg.name),
      },
    };
  });
});

function requestsFor(operation: Operation): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({ variables: jsonBody(operation.variables, world.pools), apiKey: fc.constantFrom(...world.keys) })
    .map(({ variables, apiKey }) => {
      const label = `${operation.kind} ${operation.name}; variables ${variables.description}`;
      // A variables document that is not JSON is sent as the whole body, as a broken client would.
      const body =
        variables.contentType === 'application/json' &&
        variables.body !== undefined &&
        !variables.description.startsWith('raw')
          ? `{"operationName":${JSON.stringify(operation.name)},"query":${JSON.stringify(operation.document)},"variables":${variables.body}}`
          : (variables.body ?? JSON.stringify({ query: operation.document }));
      return graphQLRequest(label, body, variables.contentType ?? 'application/json', apiKey);
    });
}

describe('GraphQL fuzzing', () => {
  it('covers every operation of the schema', () => {
    expect(operations.map((operation) => operation.name).sort()).toEqual(['bulkPatchTags', 'createTag', 'tags']);
  });

  it.each(operations.map((operation) => [`${operation.kind} ${operation.name}`, operation] as const))(
    '%s',
    async (name, operation) => {
      await fuzzRequests({
        name,
        baseUrl: server.url,
        db: server.db,
        requests: requestsFor(operation),
        numRuns: fuzzRuns(40),
      });
    },
  );

  it('answers documents that are not GraphQL, or not this schema, with a documented code', async () => {
    const [createTag] = operations.filter((operation) => operation.name === 'createTag');
    const documents = [
      '{ tags(',
      '{ nope }',
      'query { tags { nodes { id } } }',
      'query q($input: TagsInput!) { tags(input: $input) { nodes { id } } }',
      'mutation { createTag(input: { workspaceId: "x", type: common, tag: "a" }) { id } }',
      'mutation { createTag(input: { workspaceId: 1, type: VALUE, tag: "a" }) { id } }',
      `{ ${'tags(input: { workspaceId: 1 }) { nodes { id } } '.repeat(2)} }`,
      `query { ${'__typename '.repeat(10_000)} }`,
      `query { ${'a: __typename { '.repeat(500)} }`,
      'subscription { tags }',
      '',
    ];
    await checkRequests({
      name: 'fixed GraphQL cases',
      baseUrl: server.url,
      db: server.db,
      requests: [
        ...documents.map((query) => graphQLRequest(`document ${show(query)}`, JSON.stringify({ query }))),
        ...malformedJsonBodies.map((body) => graphQLRequest(`raw body ${show(body)}`, body)),
        ...oddContentTypes.map((type) =>
          graphQLRequest(`sent as ${type}`, JSON.stringify({ query: '{ __typename }' }), type),
        ),
        graphQLRequest(
          'no key',
          JSON.stringify({
            query: createTag?.document,
            variables: { input: { workspaceId: world.own.id, type: 'common', tag: 'x' } },
          }),
          'application/json',
          '',
        ),
        graphQLRequest(
          'a NUL in the tag',
          JSON.stringify({
            query: createTag?.document,
            variables: { input: { workspaceId: world.own.id, type: 'common', tag: 'a\u0000b' } },
          }),
        ),
        graphQLRequest(
          'a lone surrogate in the tag',
          `{"query":${JSON.stringify(createTag?.document)},"variables":{"input":{"workspaceId":${world.own.id},"type":"common","tag":"a\\ud800"}}}`,
        ),
      ],
    });
  });
});
