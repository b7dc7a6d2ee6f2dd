import { afterAll, describe, expect, it } from 'vitest';
import { createTaggingRestClient } from '@tagging/client';
import { restCall, startTestServer } from '../testing/test-server.ts';
import { appRouter } from '../src/router.ts';
import { bulkProcedures } from '../src/http/body-limits.ts';
import { buildFuzzWorld } from './support/fuzz-fixtures.ts';
import { fingerprintDatabase } from './support/fuzz-database.ts';
import { judge, send, type Dialect, type FuzzRequest } from './support/fuzz-oracle.ts';
import { openRawConnection } from './support/raw-connection.ts';

/**
 * How bodies are read, on every surface: authentication comes from the headers before a byte of
 * the body is read; each operation has its body limit (small, bulk ones larger); bodies are UTF-8
 * (undecodable bytes 400, other charsets 415); Content-Type is case-insensitive; and a JSON
 * content type with an empty body is no body.
 */
const bodyLimitBytes = 64 * 1024;
const bulkBodyLimitBytes = 512 * 1024;
const server = await startTestServer({
  worker: false,
  changeEvents: false,
  limits: { bodyLimitBytes, bulkBodyLimitBytes },
});
afterAll(() => server.close());
const world = await buildFuzzWorld(server);
/** The SDK's REST client for the requests that are not under test, only set up or read back. */
const rest = createTaggingRestClient({ baseUrl: server.url, apiKey: world.own.apiKey });

type Operation = { parameters?: { name: string; in: string; required?: boolean }[]; requestBody?: unknown };
const document = (await restCall(server, 'GET', '/openapi.json')).body as {
  paths: Record<string, Record<string, Operation>>;
};
const routes = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
);
type ProcedureDefinition = {
  _def: { type: 'query' | 'mutation' | 'subscription'; meta?: { openapi?: { method: string; path: string } } };
};
// A subscription is a stream that stays open: events.subscription.test.ts covers it.
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, ProcedureDefinition>).filter(
  ([, procedure]) => procedure._def.type !== 'subscription',
);

/** The REST route's path with ids of the caller's own records, and its workspaceId when it takes one. */
function concretePath(route: { path: string; operation: Operation }): string {
  const own = world.pools;
  const path = route.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    if (name === 'tagId') return own.tag[1] ?? '';
    if (name === 'contactId') return own.contact[1] ?? '';
    if (name === 'sessionId') return own.session[1] ?? '';
    if (name === 'jobId') return 'job_00000000-0000-7000-8000-000000000000';
    if (route.path.startsWith('/v1/conversations')) return own.session[1] ?? '';
    if (route.path.startsWith('/v1/tags') || route.path.startsWith('/tags')) return own.tag[2] ?? '';
    if (route.path.startsWith('/contacts')) return own.contact[1] ?? '';
    if (route.path.startsWith('/sessions')) return own.session[1] ?? '';
    return own.export[0] ?? '';
  });
  const takesWorkspace = route.operation.parameters?.some((parameter) => parameter.name === 'workspaceId');
  return `/api${path}${takesWorkspace ? `?workspaceId=${world.own.id}` : ''}`;
}

const dialectOf = (path: string): Dialect =>
  path.startsWith('/api/v1/')
    ? 'zapini'
    : path.startsWith('/trpc/')
      ? 'trpc'
      : path === '/core/gq'
        ? 'graphql'
        : 'rest';

const request = (
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
  key: string | null = world.own.apiKey,
): FuzzRequest => {
  const dialect = dialectOf(path);
  const authorization: Record<string, string> =
    key === null ? {} : { authorization: dialect === 'graphql' ? key : `Bearer ${key}` };
  return {
    dialect,
    label: `${method} ${path}`,
    method,
    path,
    headers: { ...authorization, ...headers },
    ...(body === undefined ? {} : { body }),
  };
};

/** One valid write per surface, for the checks that apply to every surface alike. */
const writes = (name: string) => [
  { path: '/api/tags', body: `{"name":"${name} 1"}` },
  { path: '/api/v1/tags', body: `{"name":"${name} 2","color":"#000000"}` },
  { path: '/trpc/tags.create', body: `{"name":"${name} 3"}` },
  {
    path: '/core/gq',
    body: JSON.stringify({
      query: 'mutation($input: TagCreateInput!) { createTag(input: $input) { id } }',
      variables: { input: { workspaceId: world.own.id, type: 'common', tag: `${name} 4` } },
    }),
  },
];

/** Sends it, holds the answer to the fuzz oracle, and checks a refusal changed nothing. */
async function expectRefused(fuzz: FuzzRequest, status: number) {
  const before = await fingerprintDatabase(server.db);
  const exchange = await send(server.url, fuzz);
  expect(judge(fuzz, exchange), `${fuzz.label}: ${exchange.text.slice(0, 300)}`).toEqual({ outcome: 'rejected' });
  expect(exchange.status, `${fuzz.label}: ${exchange.text.slice(0, 300)}`).toBe(status);
  expect(await fingerprintDatabase(server.db)).toEqual(before);
  return JSON.parse(exchange.text) as unknown;
}

describe('authentication before the body', () => {
  it('refuses a request without a key with 401 before parsing its body, on every surface', async () => {
    for (const { path } of writes('x')) {
      // Six megabytes that are not JSON: parsing it first would answer 400 (or 413).
      const fuzz = request('POST', path, { 'content-type': 'application/json' }, `{${'x'.repeat(6_000_000)}`, null);
      expect(JSON.stringify(await expectRefused(fuzz, 401))).toContain('a valid API key is required');
    }
  });

  it('answers 401 while the body is still on its way (it is never read)', async () => {
    for (const { path } of writes('x')) {
      const connection = await openRawConnection(server.url);
      connection.send(
        [`POST ${path} HTTP/1.1`, 'Host: x', 'Content-Type: application/json', 'Content-Length: 6000000'],
        '{"a',
      );
      await connection.closed;
      const received = connection.received();
      expect(received, path).toMatch(/^HTTP\/1\.1 401 /);
      expect(received.toLowerCase(), path).toContain('connection: close');
    }
  });
});

/** Sends a request whose declared body never fully arrives; resolves with what came back once the server closed. */
async function answerWhileBodyOnItsWay(method: string, path: string, headers: string[]): Promise<string> {
  const connection = await openRawConnection(server.url);
  connection.send([`${method} ${path} HTTP/1.1`, 'Host: x', ...headers, 'Content-Length: 60000'], '{"a');
  await connection.closed;
  return connection.received();
}

describe('an answer given before the body was read', () => {
  it('closes the connection instead of reading the rest (405, 401)', async () => {
    const authorization = `Authorization: Bearer ${world.own.apiKey}`;
    const json = 'Content-Type: application/json';
    const cases: [string, string, string[], number][] = [
      ['PUT', '/trpc/tags.list', [authorization, json], 405],
      ['DELETE', '/trpc/tags.create', [authorization, json], 405],
      ['PATCH', '/trpc/no.such.procedure', [authorization, json], 405],
      ['GET', '/trpc/tags.create', [authorization, json], 405],
      ['PROPFIND', '/trpc/tags.list', [authorization, json], 405],
      ['POST', '/trpc/events.subscribe', [authorization, json], 405],
      ['POST', '/trpc/tags.create', [json], 401],
    ];
    for (const [method, path, headers, status] of cases) {
      const received = await answerWhileBodyOnItsWay(method, path, headers);
      expect(received, `${method} ${path}`).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
      expect(received.toLowerCase(), `${method} ${path}`).toContain('connection: close');
    }
  });
});

describe('body limits per operation', () => {
  const over = (bytes: number) => JSON.stringify({ padding: 'x'.repeat(bytes) });

  it(`REST: every single operation refuses a body over ${bodyLimitBytes} bytes with 413; bulk ones take it`, async () => {
    const bulkPaths = procedures
      .filter(([name]) => bulkProcedures.includes(name))
      .map(([, procedure]) => procedure._def.meta?.openapi?.path);
    expect(bulkPaths).toHaveLength(bulkProcedures.length);
    const withBody = routes.filter((route) => route.operation.requestBody);
    expect(withBody.length).toBeGreaterThanOrEqual(15);
    for (const route of withBody) {
      const fuzz = request(
        route.method,
        concretePath(route),
        { 'content-type': 'application/json' },
        over(bodyLimitBytes),
      );
      if (bulkPaths.includes(route.path)) {
        const exchange = await send(server.url, fuzz);
        // Read and parsed: refused for what it says (an unknown field), not for its size.
        expect(exchange.status, fuzz.label).toBe(400);
        await expectRefused(
          request(route.method, concretePath(route), { 'content-type': 'application/json' }, over(bulkBodyLimitBytes)),
          413,
        );
      } else await expectRefused(fuzz, 413);
    }
  });

  it('tRPC: the same per procedure; GraphQL takes the small limit', async () => {
    for (const [name, procedure] of procedures.filter(([, definition]) => definition._def.type === 'mutation')) {
      const fuzz = request('POST', `/trpc/${name}`, { 'content-type': 'application/json' }, over(bodyLimitBytes));
      if (bulkProcedures.includes(name)) expect((await send(server.url, fuzz)).status, name).toBe(400);
      else await expectRefused(fuzz, 413);
      void procedure;
    }
    const query = JSON.stringify({ query: '{ __typename }', variables: { x: 'x'.repeat(bodyLimitBytes) } });
    await expectRefused(request('POST', '/core/gq', { 'content-type': 'application/json' }, query), 413);
  });

  it('refuses a chunked body (no Content-Length) once it passes the limit', async () => {
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let index = 0; index < 20; index++) controller.enqueue(new TextEncoder().encode('x'.repeat(8 * 1024)));
        controller.close();
      },
    });
    const response = await fetch(`${server.url}/api/tags`, {
      method: 'POST',
      headers: { authorization: `Bearer ${world.own.apiKey}`, 'content-type': 'application/json' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });
});

describe('UTF-8 bodies', () => {
  it('refuses bytes that are not UTF-8 with 400 on every surface, storing nothing', async () => {
    for (const { path, body } of writes('bad\u00ff')) {
      // 'ÿ' as the single latin-1 byte 0xFF: never valid UTF-8.
      const bytes = Buffer.from(body, 'latin1').toString('latin1');
      const response = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: request('POST', path, { 'content-type': 'application/json' }).headers,
        body: Buffer.from(bytes, 'latin1'),
      });
      const text = await response.text();
      expect(response.status, `${path}: ${text}`).toBe(400);
      expect(text, path).toMatch(/not valid UTF-8/);
    }
    const tags = await rest.GET('/tags', { params: { query: { q: 'bad' } } });
    expect(tags.response.status).toBe(200);
    expect(tags.data?.tags).toEqual([]);
  });

  it('refuses any charset but UTF-8 with 415 on every surface', async () => {
    for (const charset of ['latin1', 'ISO-8859-1', 'utf-16']) {
      for (const { path, body } of writes('latin')) {
        await expectRefused(
          request('POST', path, { 'content-type': `application/json; charset=${charset}` }, body),
          415,
        );
      }
    }
  });

  it('takes Content-Type in any case, and charset=UTF-8 in any case, on every surface', async () => {
    let index = 0;
    for (const contentType of [
      'Application/JSON',
      'APPLICATION/JSON; Charset=UTF-8',
      'application/json;charset="utf-8"',
    ]) {
      for (const { path, body } of writes(`case ${index++}`)) {
        const exchange = await send(server.url, request('POST', path, { 'content-type': contentType }, body));
        expect(exchange.status, `${path} as ${contentType}: ${exchange.text}`).toBeLessThan(300);
        expect(exchange.text).not.toMatch(/"errors"/);
      }
    }
  });
});

describe('a JSON content type with an empty body is no body', () => {
  it('DELETE /api/v1/tags/{uuid} with Content-Type: application/json and no body deletes the tag', async () => {
    const { data: created } = await rest.POST('/tags', { body: { name: 'to delete' } });
    const id = created?.id ?? '';
    expect(id).toMatch(/^wtag_/);
    const response = await fetch(`${server.url}/api/v1/tags/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${world.own.apiKey}`, 'content-type': 'application/json' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ success: true });
  });

  it('every REST and Zapini route without a required body accepts the header with no body', async () => {
    const bodiless = routes.filter((route) => !route.operation.requestBody && !route.path.endsWith('/download'));
    expect(bodiless.length).toBeGreaterThanOrEqual(20);
    // Reads first, then the writes (which may delete what later routes name).
    const ordered = [
      ...bodiless.filter((route) => route.method === 'GET'),
      ...bodiless.filter((r) => r.method !== 'GET'),
    ];
    for (const route of ordered) {
      const fuzz = request(route.method, concretePath(route), { 'content-type': 'application/json' });
      const exchange = await send(server.url, fuzz);
      const said = `${fuzz.label}: ${exchange.status} ${exchange.text.slice(0, 300)}`;
      expect(judge(fuzz, exchange).outcome, said).not.toBe('broken');
      // Found or not (an earlier delete), but never refused for its body.
      expect([200, 201, 204, 404], said).toContain(exchange.status);
    }
  });

  it('every tRPC procedure treats it as no input, as the tRPC client sends it', async () => {
    for (const [name, procedure] of procedures) {
      const method = procedure._def.type === 'mutation' ? 'POST' : 'GET';
      const fuzz = request(method, `/trpc/${name}`, { 'content-type': 'application/json' });
      const exchange = await send(server.url, fuzz);
      const said = `${name}: ${exchange.status} ${exchange.text.slice(0, 300)}`;
      expect(judge(fuzz, exchange).outcome, said).not.toBe('broken');
      if (exchange.status >= 400) {
        // Refused only because the procedure needs an input: the issue is at the input's root.
        expect(exchange.status, said).toBe(400);
        const body = JSON.parse(exchange.text) as { error: { data: { issues?: { path: unknown[] }[] } } };
        expect(body.error.data.issues?.[0]?.path, said).toEqual([]);
      }
    }
  });
});
