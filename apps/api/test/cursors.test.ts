import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTaggingRestClient } from '@tagging/client';
import { restCall, startTestServer } from '../testing/test-server.ts';
import { appRouter } from '../src/router.ts';
import { buildFuzzWorld } from './support/fuzz-fixtures.ts';
import { checkRequests, send, type FuzzRequest } from './support/fuzz-oracle.ts';

/**
 * A cursor is input like any other: whatever a client makes of it (a NUL inside, a lone
 * surrogate, bytes that are not UTF-8, numbers no column holds, not JSON, not base64url) is a
 * 400 in the route's error shape, on every paged list of REST and tRPC. A NUL reached PostgreSQL
 * and answered 500.
 */
const server = await startTestServer({ worker: false, changeEvents: false });
afterAll(() => server.close());
const world = await buildFuzzWorld(server);

const encode = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const hostileCursors: [string, string][] = [
  ['a NUL in the id', encode(JSON.stringify([1, 'a\u0000']))],
  ['a NUL alone', encode(JSON.stringify(['\u0000']))],
  ['a NUL in the entity key', encode(JSON.stringify(['contact', 'direct', 'x\u0000']))],
  ['a lone surrogate', encode('[1,"\\ud800"]')],
  ['bytes that are not UTF-8', Buffer.from([0x5b, 0x31, 0x2c, 0x22, 0xff, 0xfe, 0x22, 0x5d]).toString('base64url')],
  ['an order beyond int', encode(JSON.stringify([2 ** 40, 'wtag_x']))],
  ['a fraction', encode(JSON.stringify([1.5, 'wtag_x']))],
  ['not JSON', encode('{[')],
  ['an object', encode('{"a":1}')],
  ['not base64url', 'a b+c/='],
  ['a raw NUL', '\u0000'],
];

type Operation = { parameters?: { name: string }[] };
const document = (await restCall(server, 'GET', '/openapi.json')).body as {
  paths: Record<string, Record<string, Operation>>;
};
const pagedRoutes = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([, operation]) => operation.parameters?.some((parameter) => parameter.name === 'cursor'))
    .map(([method]) => ({ method: method.toUpperCase(), path })),
);

type ProcedureDefinition = { _def: { type: string; inputs: unknown[] } };
const pagedProcedures = Object.entries(appRouter._def.procedures as unknown as Record<string, ProcedureDefinition>)
  .filter(([, procedure]) => {
    const [schema] = procedure._def.inputs;
    const json = schema
      ? (z.toJSONSchema(schema as z.ZodType, { io: 'input', unrepresentable: 'any' }) as { properties?: object })
      : {};
    return json.properties !== undefined && 'cursor' in json.properties;
  })
  .map(([name]) => name);

const authorization = { authorization: `Bearer ${world.own.apiKey}` };

describe('cursors', () => {
  it('every paged list is found', () => {
    expect(pagedRoutes.map((route) => route.path).sort()).toEqual(
      [
        '/contacts',
        '/entity-tags/tags/{tagId}/entities',
        '/exports',
        '/sessions',
        '/tags',
        '/webhooks/endpoints/{id}/deliveries',
      ].sort(),
    );
    expect(pagedProcedures.sort()).toEqual(
      [
        'contacts.list',
        'entityTags.tagEntities',
        'exports.list',
        'sessions.list',
        'tags.list',
        'webhooks.deliveries',
      ].sort(),
    );
  });

  it('REST: every paged list answers a hostile cursor with 400', async () => {
    const requests = pagedRoutes.flatMap((route) =>
      hostileCursors.map(([label, cursor]): FuzzRequest => {
        const path = route.path.replace('{tagId}', world.pools.tag[0] ?? '');
        const workspace = path.startsWith('/entity-tags') ? `&workspaceId=${world.own.id}` : '';
        return {
          dialect: 'rest',
          label: `${route.method} ${route.path} with ${label}`,
          method: route.method,
          path: `/api${path}?cursor=${encodeURIComponent(cursor)}${workspace}`,
          headers: authorization,
        };
      }),
    );
    await checkRequests({ name: 'REST cursors', baseUrl: server.url, db: server.db, requests });
    for (const request of requests) {
      const exchange = await send(server.url, request);
      expect(exchange.status, `${request.label}: ${exchange.text}`).toBe(400);
      expect(JSON.parse(exchange.text), request.label).toMatchObject({ code: 'VALIDATION_ERROR' });
    }
  });

  it('tRPC: every paged procedure answers a hostile cursor with 400', async () => {
    const requests = pagedProcedures.flatMap((name) =>
      hostileCursors.map(([label, cursor]): FuzzRequest => {
        const input =
          name === 'entityTags.tagEntities'
            ? { cursor, tagId: world.pools.tag[0], workspaceId: world.own.id }
            : { cursor };
        return {
          dialect: 'trpc',
          label: `${name} with ${label}`,
          method: 'GET',
          path: `/trpc/${name}?input=${encodeURIComponent(JSON.stringify(input))}`,
          headers: authorization,
        };
      }),
    );
    await checkRequests({ name: 'tRPC cursors', baseUrl: server.url, db: server.db, requests });
    for (const request of requests) {
      const exchange = await send(server.url, request);
      expect(exchange.status, `${request.label}: ${exchange.text}`).toBe(400);
    }
  });

  it('a cursor the server wrote still pages', async () => {
    const rest = createTaggingRestClient({ baseUrl: server.url, apiKey: world.own.apiKey });
    for (let index = 0; index < 3; index++) await rest.POST('/tags', { body: { name: `page ${index}` } });
    const { data: first } = await rest.GET('/tags', { params: { query: { limit: 2 } } });
    expect(first?.nextCursor).toEqual(expect.any(String));
    const second = await rest.GET('/tags', { params: { query: { limit: 2, cursor: first?.nextCursor ?? undefined } } });
    expect(second.response.status).toBe(200);
    expect(second.data?.tags[0]?.id).not.toBe(first?.tags[0]?.id);
  });
});
