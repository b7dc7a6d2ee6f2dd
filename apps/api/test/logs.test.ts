import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, inject, vi } from 'vitest';
import { createApiKey, createWorkspaceWithKey, type Database } from '@tagging/domain';
import { openTestDatabase } from '@tagging/domain/testing';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../src/server.ts';
import { isoTimeField } from '../src/observability/logger-options.ts';

/**
 * The server's log, captured line by line from its real logger: one JSON line per request with
 * its id, route, status and duration, and never a key or a request's content, whichever dialect,
 * header form or error path the request takes.
 */
const lines: string[] = [];
let app: FastifyInstance;
let db: Database;
let dispose: () => Promise<void>;
let url: string;
let workspaceId: number;
/** A key of the form the service issues (`tgk_…`). */
let issuedKey: string;
/** A key of a free form (as DEMO_API_KEY allows): nothing recognises it by its shape. */
const customKey = 'custom-credential-5c1d7e2a9b';
const unknownKey = 'unknown-credential-8d3f6a1c7e';
/** Request content that must never be logged. */
const bodySecret = 'body-content-4b7e1f9a2c6d';

type Sent = { requestId: string; status: number };
const sent: Sent[] = [];

/** One HTTP request, with its own request id, recorded for the per-request checks. */
async function send(
  method: string,
  path: string,
  options: { authorization?: string; body?: unknown; rawBody?: string } = {},
): Promise<{ status: number; body: unknown }> {
  const requestId = `logs-test-${sent.length}`;
  const headers: Record<string, string> = { 'x-request-id': requestId };
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${url}${path}`, { method, headers, body });
  const text = await response.text();
  sent.push({ requestId, status: response.status });
  const json = response.headers.get('content-type')?.includes('json') ?? false;
  return { status: response.status, body: json ? (JSON.parse(text) as unknown) : text };
}

const graphQL = (authorization: string, query: string, variables: unknown) =>
  send('POST', '/core/gq', { authorization, body: { query, variables } });
const createTagMutation =
  'mutation createTag($input: TagCreateInput!) { createTag(input: $input) { id tag description } }';

beforeAll(async () => {
  ({ db, dispose } = await openTestDatabase(inject('testDatabaseTemplate')));
  app = await buildServer({ db, logger: { level: 'trace', stream: { write: (line: string) => lines.push(line) } } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const created = await createWorkspaceWithKey(db.fork(), 'logs');
  workspaceId = created.workspace.id;
  issuedKey = created.apiKey.secret;
  await createApiKey(db.fork(), workspaceId, { name: 'custom', secret: customKey });
});
afterAll(async () => {
  await app.close();
  await dispose();
});

describe('request logs', () => {
  it('exercise every dialect with keys in headers and secrets in bodies', async () => {
    // REST, Bearer and bare keys; a body with a key in it; a conflict; malformed JSON; a bad key.
    const tag = { name: bodySecret, description: `note ${issuedKey} ${customKey}` };
    expect((await send('POST', '/api/tags', { authorization: `Bearer ${customKey}`, body: tag })).status).toBe(201);
    expect((await send('POST', '/api/tags', { authorization: `Bearer ${issuedKey}`, body: tag })).status).toBe(409);
    expect((await send('GET', '/api/tags', { authorization: customKey })).status).toBe(200);
    const malformed = `{"name": "${bodySecret}", "description": "${customKey}`;
    expect((await send('POST', '/api/tags', { authorization: issuedKey, rawBody: malformed })).status).toBe(400);
    expect((await send('GET', '/api/tags', { authorization: `Bearer ${unknownKey}` })).status).toBe(401);
    expect(
      (await send('GET', `/api/tags?apiKey=${customKey}&q=${bodySecret}`, { authorization: customKey })).status,
    ).toBeLessThan(500);
    // Zapini.
    const zapini = { name: `${bodySecret}-z`, color: '#123456' };
    expect((await send('POST', '/api/v1/tags', { authorization: `Bearer ${issuedKey}`, body: zapini })).status).toBe(
      201,
    );

    // tRPC: a mutation, a query, and an input refused with its value echoed in the issues.
    const trpcTag = { name: `${bodySecret}-t`, description: customKey };
    expect(
      (await send('POST', '/trpc/tags.create', { authorization: `Bearer ${issuedKey}`, body: trpcTag })).status,
    ).toBe(200);
    expect((await send('POST', '/trpc/tags.create', { authorization: customKey, body: trpcTag })).status).toBe(409);
    expect(
      (await send('GET', `/trpc/tags.list?input=${encodeURIComponent('{}')}`, { authorization: customKey })).status,
    ).toBe(200);
    const tooLong = { name: `${bodySecret}${customKey}`.repeat(5) };
    expect((await send('POST', '/trpc/tags.create', { authorization: customKey, body: tooLong })).status).toBe(400);

    // GraphQL (bare key): a create, the same name again (a conflict), a variable of the wrong type
    // (GraphQL's message quotes the value it could not coerce).
    const input = { workspaceId, type: 'common', tag: `${bodySecret}-g`, description: issuedKey };
    const created = await graphQL(issuedKey, createTagMutation, { input });
    expect(created.body).toMatchObject({ data: { createTag: { tag: `${bodySecret}-g` } } });
    const again = await graphQL(customKey, createTagMutation, { input });
    expect(again.body).toMatchObject({ errors: [{ extensions: { code: 'CONFLICT' } }] });
    const wrongType = await graphQL(customKey, createTagMutation, { input: { ...input, workspaceId: customKey } });
    expect(JSON.stringify(wrongType.body)).toContain('errors');
    const inline = await send('POST', '/core/gq', {
      authorization: customKey,
      body: {
        query: `mutation { createTag(input: { workspaceId: "${issuedKey}", type: common, tag: "${bodySecret}" }) { id } }`,
      },
    });
    expect(JSON.stringify(inline.body)).toContain('errors');
    // GraphQL client errors of every kind: no key (401), another workspace (403), an unknown tag
    // (404), a syntax error.
    const noKey = await send('POST', '/core/gq', { body: { query: createTagMutation, variables: { input } } });
    expect(noKey.body).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHORIZED' } }] });
    const otherWorkspace = await graphQL(customKey, createTagMutation, { input: { ...input, workspaceId: 999_999 } });
    expect(otherWorkspace.body).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN' } }] });
    const unknownTag = await graphQL(
      customKey,
      'mutation p($input: TagBulkPatchInput!) { bulkPatchTags(input: $input) }',
      {
        input: { workspaceId, patches: [{ id: 'wtag_00000000-0000-7000-8000-000000000000', order: 1 }] },
      },
    );
    expect(unknownTag.body).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });
    expect((await graphQL(customKey, `{ tags(${bodySecret}`, {})).status).toBe(400);

    // Operations routes.
    expect((await send('GET', '/healthz')).status).toBe(200);
    expect((await send('GET', '/metrics')).status).toBe(200);
    expect((await send('GET', `/nowhere/${customKey}`, { authorization: customKey })).status).toBe(404);
  });

  it('writes every line as JSON, with an ISO time', () => {
    expect(lines.length).toBeGreaterThan(sent.length);
    for (const line of lines) {
      const entry = JSON.parse(line) as { time?: unknown; level?: unknown };
      expect(typeof entry.level).toBe('number');
      expect(String(entry.time)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
  });

  it('writes one line per request, with its id, route, method, status and duration', () => {
    const requestLines = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.msg === 'request completed');
    expect(requestLines).toHaveLength(sent.length);
    for (const { requestId, status } of sent) {
      const entry = requestLines.find((candidate) => candidate.reqId === requestId);
      expect(entry, requestId).toMatchObject({
        reqId: requestId,
        statusCode: status,
        method: expect.stringMatching(/^(GET|POST)$/),
        route: expect.any(String),
        responseTime: expect.any(Number),
      });
    }
    // The id once, just before the line's own fields, as the request's logger binds it.
    for (const line of lines.filter((candidate) => candidate.includes('"msg":"request completed"'))) {
      expect(line.match(/"reqId":/g), line).toHaveLength(1);
      expect(line, line).toMatch(/"reqId":"[^"]+","method":"/);
    }
    const routes = new Set(requestLines.map((entry) => entry.route));
    expect(routes).toEqual(
      new Set([
        '/api/tags',
        '/api/v1/tags',
        '/trpc/tags.create',
        '/trpc/tags.list',
        '/core/gq',
        '/healthz',
        '/metrics',
        'unmatched',
      ]),
    );
  });

  it('never logs a key or request content', () => {
    const log = lines.join('\n');
    for (const secret of [issuedKey, customKey, unknownKey, bodySecret]) expect(log).not.toContain(secret);
  });

  it('logs a client error as its request line alone, without a stack, on every dialect', () => {
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const clientErrors = sent.filter(({ status }) => status >= 400 && status < 500);
    expect(clientErrors.length).toBeGreaterThan(5);
    for (const { requestId } of sent) {
      const own = entries.filter((entry) => entry.reqId === requestId);
      expect(
        own.map((entry) => entry.msg),
        requestId,
      ).toEqual(['request completed']);
    }
    expect(lines.join('\n')).not.toMatch(/"stack"/);
  });
});

describe('the logger itself', () => {
  it('redacts key and body fields, and scrubs errors that quote SQL or input', () => {
    const before = lines.length;
    app.log.info(
      {
        headers: { authorization: `Bearer ${customKey}` },
        apiKey: customKey,
        secret: customKey,
        body: { name: bodySecret },
      },
      'redaction probe',
    );
    const driverError = Object.assign(
      new Error(
        `insert into "tag" ("workspace_id", "name") values (1, '${bodySecret}') - duplicate key value - detail: Failing row contains (1, ${bodySecret.slice(0, 12)}, x).`,
      ),
      { detail: `Key (workspace_id, lower(name))=(1, ${bodySecret}) already exists.`, code: '23505' },
    );
    app.log.error({ err: driverError }, 'synthetic driver failure');
    app.log.warn(`a message quoting "${customKey}" and ${issuedKey}`);
    const written = lines.slice(before);
    expect(written).toHaveLength(3);
    // The ORM's ` - detail: …` repeats row values unquoted, shorter than a quote is scrubbed at.
    for (const secret of [issuedKey, customKey, bodySecret, bodySecret.slice(0, 12)])
      expect(written.join('\n')).not.toContain(secret);
    const [probe, failure] = written.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(probe).toMatchObject({ apiKey: '[redacted]', secret: '[redacted]', body: '[redacted]' });
    expect(failure).toMatchObject({
      err: { type: 'Error', code: '23505', message: expect.stringContaining('insert into') },
    });
  });

  it('writes the time of each line as Date#toISOString does, across seconds, days and years', () => {
    const time = isoTimeField();
    vi.useFakeTimers();
    try {
      const start = Date.UTC(2026, 11, 31, 23, 59, 58, 990);
      for (const step of [0, 1, 9, 10, 99, 100, 999, 1000, 1001, 1010, 1100, 2009, 2010, 86_400_000]) {
        vi.setSystemTime(start + step);
        expect(time()).toBe(`,"time":"${new Date().toISOString()}"`);
      }
      vi.setSystemTime(start);
      expect(time()).toBe(`,"time":"${new Date().toISOString()}"`);
    } finally {
      vi.useRealTimers();
    }
  });
});
