import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import SwaggerParser from '@apidevtools/swagger-parser';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import type { oas31 } from 'zod-openapi';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { ErrorBody, maxBulkEntities, ZapiniErrorBody } from '@tagging/contracts';
import { appRouter } from '../src/router.ts';
import type { Meta } from '../src/trpc/init.ts';
import { operationsOf, type OpenApiDocument } from '../src/openapi/openapi-document.ts';
import { operationExamples } from '../src/openapi/operation-examples.ts';
import { restCall, startTestServer, type TestServer } from '../testing/test-server.ts';

/**
 * The served `/openapi.json`: valid under a standard validator, lint-clean under Redocly's
 * recommended rules, complete (every route the server answers), and every example valid against
 * the document's schema (Redocly) and against the contracts' Zod schemas the server parses with.
 */
let server: TestServer;
let document: OpenApiDocument;

type Parser = { parse: (value: unknown) => unknown };
type ProcedureDef = { meta?: Meta; inputs: Parser[]; output?: Parser };
const procedures = Object.values(appRouter._def.procedures as unknown as Record<string, { _def: ProcedureDef }>)
  .map(({ _def }) => _def)
  .filter((def) => def.meta?.openapi && def.meta.openapi.enabled !== false);
const procedureAt = (method: string, path: string) =>
  procedures.find((def) => def.meta?.openapi?.method.toLowerCase() === method && def.meta.openapi.path === path);

/** Surfaces that are not REST routes of the documents, so not in the document. */
const notRest = [
  /^\/trpc\//,
  /^\/core\/gq$/,
  /^\/docs(\/|$)/,
  /^\/openapi\.json$/,
  /^\/healthz$/,
  /^\/readyz$/,
  /^\/metrics$/,
];

/** The routes Fastify serves, read from its route tree (`printRoutes`), as `[path, methods]`. */
function servedRoutes(tree: string): [string, string[]][] {
  const stack: string[] = [];
  const routes: [string, string[]][] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+) \(([A-Z, ]+)\)$/.exec(line.replace(/\u00a0/g, ' '));
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    stack.length = depth;
    stack.push(match[2] ?? '');
    routes.push([stack.join('').replace(/\/\//g, '/'), (match[3] ?? '').split(', ')]);
  }
  return routes;
}

/** A printed route path's OpenAPI spellings: each `:a|:b` parameter as `{a}` or `{b}`. */
function pathSpellings(path: string): string[] {
  let spellings = [''];
  for (const segment of path.split('/').slice(1)) {
    const names = segment.startsWith(':') ? segment.split('|').map((name) => `{${name.slice(1)}}`) : [segment];
    spellings = spellings.flatMap((prefix) => names.map((name) => `${prefix}/${name}`));
  }
  return spellings;
}

const isRef = (value: unknown): value is oas31.ReferenceObject =>
  typeof value === 'object' && value !== null && '$ref' in value;

/** A `#/components/...` reference of this document, resolved. */
function resolve<T>(value: T | oas31.ReferenceObject): T {
  if (!isRef(value)) return value;
  const [, section, name] = /^#\/components\/(\w+)\/(.+)$/.exec(value.$ref) ?? [];
  const components = document.components as Record<string, Record<string, unknown>>;
  const target = components[section ?? '']?.[name ?? ''];
  if (target === undefined) throw new Error(`unresolved ${value.$ref}`);
  return target as T;
}

beforeAll(async () => {
  server = await startTestServer();
  const response = await restCall(server, 'GET', '/openapi.json');
  expect(response.status).toBe(200);
  document = response.body as OpenApiDocument;
});
afterAll(() => server.close());

describe('the served OpenAPI document', () => {
  it('is valid OpenAPI 3.1 under swagger-parser', async () => {
    expect(document.openapi).toMatch(/^3\.1\./);
    // validate() dereferences in place: give it a copy.
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeTruthy();
  });

  it('lints clean under Redocly’s recommended rules, examples checked against their schemas', async () => {
    const config = await createConfig({
      extends: ['recommended'],
      rules: {
        // A private service: there is no licence to state.
        'info-license': 'off',
        // Examples that contradict their schema are errors, not warnings.
        'no-invalid-media-type-examples': 'error',
        'no-invalid-parameter-examples': 'error',
        'no-invalid-schema-examples': 'error',
      },
    });
    const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: '/openapi.json', config });
    const found = problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? ''}`);
    expect(found).toEqual([]);
  });

  it('documents every route the server answers', async () => {
    const documented = new Set(operationsOf(document).map(({ method, path }) => `${method} /api${path}`));
    // One Fastify route per procedure with openapi meta, documented under the same path.
    for (const def of procedures) {
      const openapi = def.meta?.openapi;
      expect(documented, `${openapi?.method} ${openapi?.path}`).toContain(
        `${openapi?.method.toLowerCase()} /api${openapi?.path}`,
      );
      const url = `/api${openapi?.path.replace(/\{(\w+)\}/g, ':$1')}`;
      expect(server.app.hasRoute({ method: openapi?.method ?? 'GET', url }), `${openapi?.method} ${url}`).toBe(true);
    }
    // Every other route Fastify serves is documented, or is one of the surfaces that are not REST.
    const routes = servedRoutes(server.app.printRoutes({ commonPrefix: false }));
    expect(routes.map(([path]) => path)).toEqual(expect.arrayContaining(['/api/exports/:id/download', '/docs']));
    for (const [path, methods] of routes) {
      if (path === '*' || notRest.some((pattern) => pattern.test(path))) continue;
      for (const method of methods.filter((m) => m !== 'HEAD')) {
        // Routes sharing a parameter's place under other names print as `:id|:tagId`: one of the
        // spellings is this route's.
        const spellings = pathSpellings(path).map((spelling) => `${method.toLowerCase()} ${spelling}`);
        expect(
          spellings.some((spelling) => documented.has(spelling)),
          `${method} ${path}`,
        ).toBe(true);
      }
    }
  });

  it('answers every documented operation, without a key, with the 401 it documents', async () => {
    for (const { path, method, operation } of operationsOf(document)) {
      const url = `/api${path.replace(/\{\w+\}/g, (name) => String(operationExamples[operation.operationId ?? '']?.parameters?.[name.slice(1, -1)] ?? 'x'))}`;
      const response = await restCall(server, method.toUpperCase(), url);
      expect(response.status, `${method} ${path}`).toBe(401);
      const declared = resolve(operation.responses?.['401'] as oas31.ResponseObject | oas31.ReferenceObject);
      const schema = declared.content?.['application/json']?.schema;
      const body = path.startsWith('/v1/') ? ZapiniErrorBody : ErrorBody;
      expect(schema).toEqual({ $ref: `#/components/schemas/${path.startsWith('/v1/') ? 'ZapiniError' : 'Error'}` });
      expect(() => body.parse(response.body), `${method} ${path}`).not.toThrow();
    }
  });

  it('documents the 403 a read key gets on every write and on the API-key routes, and answers it', async () => {
    const { apiKey: admin } = await server.newWorkspace('Scopes');
    const created = await restCall(server, 'POST', '/api/api-keys', {
      apiKey: admin,
      body: { name: 'reader', scope: 'read' },
    });
    const reader = (created.body as { secret: string }).secret;
    let refused = 0;
    for (const { path, method, operation } of operationsOf(document)) {
      if (method === 'get' && !path.startsWith('/api-keys')) continue;
      const label = `${method} ${path}`;
      expect(Object.keys(operation.responses ?? {}), label).toContain('403');
      const url = `/api${path.replace(/\{\w+\}/g, (name) => String(operationExamples[operation.operationId ?? '']?.parameters?.[name.slice(1, -1)] ?? 'x'))}`;
      const body = method === 'get' || method === 'delete' ? {} : { body: {} };
      const response = await restCall(server, method.toUpperCase(), url, { apiKey: reader, ...body });
      expect(response.status, label).toBe(403);
      refused++;
    }
    expect(refused).toBeGreaterThanOrEqual(30);
  });

  it("documents the 403 of another workspace's id on every operation with a key, and answers it (session 24)", async () => {
    const { apiKey } = await server.newWorkspace('Here');
    const elsewhere = await server.newWorkspace('Elsewhere');
    let refused = 0;
    for (const { path, method, operation } of operationsOf(document)) {
      const label = `${method} ${path}`;
      expect(Object.keys(operation.responses ?? {}), label).toContain('403');
      if (method !== 'get') continue;
      const url = `/api${path.replace(/\{\w+\}/g, (name) => String(operationExamples[operation.operationId ?? '']?.parameters?.[name.slice(1, -1)] ?? 'x'))}`;
      const response = await restCall(server, 'GET', `${url}?workspaceId=${elsewhere.id}`, { apiKey });
      expect(response.status, label).toBe(403);
      refused++;
    }
    expect(refused).toBeGreaterThanOrEqual(20);
  });

  it('gives every operation a summary, the API key scheme and its error responses', () => {
    expect(document.components?.securitySchemes?.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    const operations = operationsOf(document);
    expect(operations.length).toBeGreaterThanOrEqual(40);
    for (const { path, method, operation } of operations) {
      const label = `${method} ${path}`;
      expect(operation.summary?.trim(), label).toBeTruthy();
      expect(operation.operationId, label).toBeTruthy();
      expect(operation.security, label).toEqual([{ apiKey: [] }]);
      const statuses = Object.keys(operation.responses ?? {});
      expect(
        statuses.filter((status) => /^2/.test(status)),
        label,
      ).toHaveLength(1);
      // A key's every operation: another workspace (403), a `workspaceId` that is not one (400), a
      // body where none is taken (413 over the limit, 415 not JSON): session 24's second attack.
      expect(statuses, label).toEqual(expect.arrayContaining(['400', '401', '403', '413', '415', '429', '500', '503']));
      // A tag a merge job or an unfinished export holds is not deleted (third attack).
      if (operation.operationId === 'tags-delete' || operation.operationId === 'zapini-deleteTag')
        expect(statuses, label).toContain('409');
      const takesInput = (operation.parameters?.length ?? 0) > 0 || operation.requestBody !== undefined;
      if (takesInput) expect(statuses, label).toContain('400');
      // A body has a size limit and one media type (the single tag-a-session POST did not say so).
      if (operation.requestBody) expect(statuses, label).toEqual(expect.arrayContaining(['413', '415']));
      if (path.includes('{')) expect(statuses, label).toContain('404');
      const errorSchema = path.startsWith('/v1/') ? 'ZapiniError' : 'Error';
      for (const status of statuses.filter((s) => /^[45]/.test(s))) {
        const response = resolve(operation.responses?.[status] as oas31.ResponseObject | oas31.ReferenceObject);
        expect(response.content?.['application/json']?.schema, `${label} ${status}`).toEqual({
          $ref: `#/components/schemas/${errorSchema}`,
        });
      }
    }
    // A write without a body is `{}`: a body of optional fields may be left out (an export of everything).
    expect(document.paths?.['/exports']?.post?.requestBody).toMatchObject({ required: false });
    expect(document.paths?.['/tags']?.post?.requestBody).toMatchObject({ required: true });
    // The Entity Tags document's writes carry workspaceId in the query string, not the body.
    const tagContact = document.paths?.['/entity-tags/contacts/{contactId}/tags']?.post;
    expect(tagContact?.parameters).toContainEqual(expect.objectContaining({ name: 'workspaceId', in: 'query' }));
  });

  it('has examples that the contracts’ schemas accept, on operations that exist', () => {
    const operations = operationsOf(document);
    for (const [operationId, examples] of Object.entries(operationExamples)) {
      const found = operations.find(({ operation }) => operation.operationId === operationId);
      expect(found, operationId).toBeDefined();
      if (!found) continue;
      const def = procedureAt(found.method, found.path);
      if (!def) throw new Error(`no procedure for ${operationId}`);
      // What the server parses: path and query parameters and the body, together.
      const input = { ...examples.parameters, ...(examples.request as object | undefined) };
      expect(() => def.inputs[0]?.parse(input), `${operationId} request`).not.toThrow();
      if (examples.response !== undefined)
        expect(() => def.output?.parse(examples.response), `${operationId} response`).not.toThrow();
      // And the examples are in the served document.
      const media = found.operation.requestBody && resolve(found.operation.requestBody).content['application/json'];
      if (examples.request !== undefined) expect(media?.example, operationId).toEqual(examples.request);
    }
    // Every error response's example is a body the dialect's schema accepts.
    for (const [name, response] of Object.entries(document.components?.responses ?? {})) {
      const example = resolve(response).content?.['application/json']?.example as unknown;
      const schema = name.startsWith('Zapini') ? ZapiniErrorBody : ErrorBody;
      expect(() => schema.parse(example), name).not.toThrow();
    }
  });

  it('names its schemas as components, so generated clients get named types (openapi-typescript)', async () => {
    const schemas = document.components?.schemas ?? {};
    const expected = [
      // Records and what the read routes show.
      ...['Tag', 'TagPage', 'TagType', 'Contact', 'ContactPage', 'Session', 'SessionPage', 'JsonValue'],
      ...['EntityTag', 'AppliedTag', 'AppliedTags', 'TagContactResult', 'PropagationJob', 'ContactExport'],
      // Each dialect's error body.
      ...['Error', 'ErrorCode', 'ZapiniError'],
      // Zapini's shapes.
      ...['ZapiniTag', 'ZapiniTagBrief', 'ZapiniTagList', 'ZapiniTagOne', 'ZapiniNoData', 'ZapiniConversationTags'],
    ];
    expect(Object.keys(schemas)).toEqual(expect.arrayContaining(expected));
    // No generated names (`__schema0`) and no doubled input/output components (`ErrorIssueOutput`).
    expect(Object.keys(schemas).filter((name) => !/^[A-Z][A-Za-z]+$/.test(name) || name.endsWith('Output'))).toEqual(
      [],
    );
    // Every JSON response body is a named component: no inline shapes. (Request bodies stay
    // inline: openapi-typescript would make a field with a default, like an export's `format`,
    // required in a named one.)
    for (const { path, method, operation } of operationsOf(document)) {
      for (const [which, body] of Object.entries(operation.responses ?? {}).map(
        ([status, response]) => [status, resolve(response)] as const,
      )) {
        const schema = body.content?.['application/json']?.schema;
        if (schema)
          expect(schema, `${method} ${path} ${which}`).toEqual({
            $ref: expect.stringMatching(/^#\/components\/schemas\/[A-Z]/),
          });
      }
    }

    // What a client generator makes of it: a named type for each.
    const source = astToString(await openapiTS(structuredClone(document) as unknown as OpenAPI3, { silent: true }));
    expect(source).not.toMatch(/__schema/);
    for (const name of expected) expect(source, name).toMatch(new RegExp(`^ {8}${name}: `, 'm'));
    expect(source).toMatch(/^ {8}Tag: \{$/m);
    // Operations refer to them by name.
    expect(source).toContain('"application/json": components["schemas"]["TagPage"];');
  });

  it('says how many items a bulk body takes (maxItems), as the domain enforces them (413 above)', () => {
    const bulk = {
      '/entity-tags/bulk/tag': 'entities',
      '/entity-tags/bulk/untag': 'entities',
      '/contacts/bulk': 'contacts',
      '/sessions/bulk': 'sessions',
    } as const;
    for (const [path, field] of Object.entries(bulk)) {
      const body = resolve(document.paths?.[path]?.post?.requestBody ?? { $ref: 'missing' });
      const schema = resolve(body.content?.['application/json']?.schema ?? { $ref: 'missing' });
      expect(schema.properties?.[field], path).toMatchObject({ type: 'array', minItems: 1, maxItems: maxBulkEntities });
    }
  });
});
