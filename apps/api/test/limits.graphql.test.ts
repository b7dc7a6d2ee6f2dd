import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { getIntrospectionQuery, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restCall, startTestServer, type TestServer, type TestWorkspace } from '../testing/test-server.ts';

/**
 * Issue 18 ("GraphQL memory") and issue 15 item 8: a GraphQL request is bounded before it is
 * parsed or validated (key, bytes, tokens, aliases, depth, fields), what mercurius caches is
 * bounded, and a request that fails before execution answers its 4xx with `errors` and no `data`.
 */
let server: TestServer;
let ws: TestWorkspace;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/** Heap in use after a full collection (MB): what the server keeps, not what it has not freed yet. */
const retainedHeapMb = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

beforeAll(async () => {
  server = await startTestServer({ worker: false });
  ws = await server.newWorkspace('graphql limits');
});
afterAll(() => server.close());

type GraphQLResponse = {
  data?: unknown;
  errors?: { message: string; extensions?: { code?: string } }[];
};

const gq = async (body: unknown, key: string | null = ws.apiKey) => {
  const response = await restCall(server, 'POST', '/core/gq', {
    body,
    headers: { ...(key === null ? {} : { authorization: key }), 'content-type': 'application/json' },
  });
  return { status: response.status, body: response.body as GraphQLResponse, text: JSON.stringify(response.body) };
};

/** A request refused before execution: the status, the code, no `data` key, nothing of a stack. */
function expectRefused(response: Awaited<ReturnType<typeof gq>>, status: number, code: string, message?: RegExp): void {
  expect(response.status, response.text.slice(0, 300)).toBe(status);
  expect(Object.keys(response.body)).toEqual(['errors']);
  expect(response.body.errors?.[0]?.extensions?.code).toBe(code);
  if (message) expect(response.body.errors?.[0]?.message).toMatch(message);
  expect(response.text).not.toMatch(/\bat .*\.(js|ts):\d+|stack/);
}

/** `{ x0: __typename x1: __typename ... }`, about `bytes` long, distinct per `id`. */
const aliasDocument = (id: number, bytes: number) => {
  const aliases: string[] = [];
  for (let length = 0, i = 0; length < bytes; i++) {
    const alias = `x${i}: __typename`;
    aliases.push(alias);
    length += alias.length + 1;
  }
  return `query q${id} { ${aliases.join(' ')} }`;
};

describe('GraphQL memory', () => {
  it('refuses 0.9 MB documents unparsed, and the heap stays where it was', async () => {
    const before = retainedHeapMb();
    for (let id = 0; id < 20; id++) {
      const query = aliasDocument(id, 900_000);
      expectRefused(await gq({ query }), 413, 'PAYLOAD_TOO_LARGE', /at most 16384/);
      // Without a key, the same document is refused before the body is even read.
      expectRefused(await gq({ query }, null), 401, 'UNAUTHORIZED');
    }
    // Today's main kept each one parsed (~46 MB apiece): 20 grew the heap from 73 MB to 1 GB.
    expect(retainedHeapMb() - before).toBeLessThan(32);
  });

  it('keeps at most a bounded number of parsed documents, valid or not', async () => {
    // 960+ tokens each (just under the token limit): ~0.38 MB of syntax tree apiece, cached by
    // mercurius in one LRU for valid documents and one for invalid ones (measured: +24 MB once
    // both hold their 32 entries).
    const document = (id: number, valid: boolean) =>
      `query q${id} { ${'__typename @skip(if: false) '.repeat(120)}${valid ? '' : 'nope'} }`;
    const before = retainedHeapMb();
    for (let id = 0; id < 240; id++) {
      const valid = id % 2 === 0;
      const response = await gq({ query: document(id, valid) });
      if (valid) expect(response.body).toEqual({ data: { __typename: 'Query' } });
      else expectRefused(response, 400, 'VALIDATION_ERROR', /Cannot query field "nope"/);
    }
    // mercurius' default (1,024 entries per LRU) would keep all 240: ~90 MB.
    expect(retainedHeapMb() - before).toBeLessThan(48);
  });
});

describe('GraphQL request limits', () => {
  it('authenticates before parsing: a document that is not GraphQL, without a key, is a 401', async () => {
    const response = await gq({ query: '{ tags(' }, null);
    expectRefused(response, 401, 'UNAUTHORIZED');
    // Document 003 sends the key bare, in a lower-case `authorization` header.
    expect(response.body.errors?.[0]?.message).toContain('authorization: <key>');
    expect(response.body.errors?.[0]?.message).not.toContain('Bearer');
    expectRefused(await gq({ query: '{ __typename }' }, 'not-a-key-of-anyone'), 401, 'UNAUTHORIZED');
  });

  it('stops the parser at the token limit', async () => {
    expectRefused(await gq({ query: `{ ${'a '.repeat(1500)}}` }), 400, 'VALIDATION_ERROR', /more that 1000 tokens/);
  });

  it('refuses too many aliases, __typename included', async () => {
    const aliases = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ');
    expect((await gq({ query: `{ ${aliases(20)} }` })).status).toBe(200);
    expectRefused(await gq({ query: `{ ${aliases(21)} }` }), 400, 'VALIDATION_ERROR', /Aliases limit of 20 exceeded/);
  });

  it('refuses documents nested too deep, introspection included', async () => {
    const nested = (depth: number) =>
      `{ __schema { types { ${'ofType { '.repeat(depth - 3)}name${' }'.repeat(depth - 1)} }`;
    expect((await gq({ query: nested(15) })).status).toBe(200);
    expectRefused(await gq({ query: nested(16) }), 400, 'VALIDATION_ERROR', /depth limit of 15 exceeded, found 16/);
  });

  it('refuses documents selecting too many fields', async () => {
    expect((await gq({ query: `{ ${'__typename '.repeat(500)}}` })).status).toBe(200);
    expectRefused(
      await gq({ query: `{ ${'__typename '.repeat(501)}}` }),
      400,
      'VALIDATION_ERROR',
      /limit of 500 exceeded, found 501/,
    );
  });

  it('admits the standard introspection query', async () => {
    const response = await gq({ query: getIntrospectionQuery() });
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
  });

  it('refuses a query that is a JSON-encoded syntax tree (it would skip the token limit)', async () => {
    const tree = JSON.stringify(parse('{ __typename }', { noLocation: true }));
    expectRefused(await gq({ query: tree }), 400, 'VALIDATION_ERROR', /not a GraphQL document/);
  });
});

describe('GraphQL request errors (GraphQL over HTTP)', () => {
  const tagsQuery = 'query tags($input: TagsInput!) { tags(input: $input) { nodes { id } } }';

  it('answers a request that fails before execution with errors and no data key', async () => {
    expectRefused(await gq({ query: '{ tags(' }), 400, 'VALIDATION_ERROR', /Syntax Error/);
    expectRefused(await gq({ query: '{ nope }' }), 400, 'VALIDATION_ERROR', /Cannot query field/);
    expectRefused(
      await gq({ query: tagsQuery, variables: { input: { workspaceId: 'twelve' } } }),
      400,
      'VALIDATION_ERROR',
      /Variable "\$input"/,
    );
    expectRefused(await gq({ query: tagsQuery }), 400, 'VALIDATION_ERROR', /Variable "\$input"/);
    expectRefused(await gq({ query: '{ __typename }', operationName: 'other' }), 400, 'VALIDATION_ERROR');
    expectRefused(await gq({ query: 'subscription { tags }' }), 400, 'VALIDATION_ERROR', /no subscription/);
    const notJson = await restCall(server, 'POST', '/core/gq', {
      rawBody: '{"query": ',
      headers: { authorization: ws.apiKey, 'content-type': 'application/json' },
    });
    expect(notJson.status).toBe(400);
    expect(Object.keys(notJson.body as object)).toEqual(['errors']);
  });

  it('keeps data next to the errors of an operation that ran', async () => {
    const other = await server.newWorkspace('another');
    const forbidden = await gq({ query: tagsQuery, variables: { input: { workspaceId: other.id } } });
    expect(forbidden.status).toBe(200);
    expect(forbidden.body).toMatchObject({ data: null, errors: [{ extensions: { code: 'FORBIDDEN' } }] });
  });
});
