import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
  type IntrospectionQuery,
} from 'graphql';
import { createApiKey } from '@tagging/domain';
import { appRouter } from '../src/router.ts';
import { restCall, startTestServer, type TestServer, type TestWorkspace } from '../testing/test-server.ts';

/**
 * The tenancy matrix over tRPC and GraphQL (REST: tenancy.rest.test.ts), generated from the
 * router and from the served schema, so that a procedure or operation added later is in it:
 * workspace A's key naming workspaceId=B is refused (403 / FORBIDDEN) everywhere; A's key on B's
 * ids finds nothing (404 / NOT_FOUND), or, where a route answers without a refusal (lists,
 * creates, bulk reports), the answer is A's own; no response carries a byte of B's data; and
 * B's data is the same afterwards. Scopes: a `read` key is refused every mutation (403 /
 * FORBIDDEN) and passes every query; the API-key procedures need an `admin` key.
 */
let server: TestServer;
let a: TestWorkspace;
let b: TestWorkspace;
/** A's keys below admin. */
let aRead: string;
let aWrite: string;
/** B's ids by prefix (`wtag`, `contact`, …): what a probe puts wherever an input takes an id. */
const bIds = new Map<string, string>();
/** A's own records, for probes that mix one of B's ids with A's. */
const aIds = new Map<string, string>();
const bNames = ['B-secret-tag', 'B-secret-description', 'B-secret-contact', 'B-secret-external', 'B-secret-session'];

const asB = async (method: string, path: string, body?: unknown) => {
  const response = await restCall(server, method, path, { body, apiKey: b.apiKey });
  expect(response.status, `${method} ${path}`).toBeLessThan(300);
  return response.body as Record<string, unknown>;
};

/** Everything B has, read with B's key: compared before and after the probes. */
async function snapshotOfB(): Promise<string> {
  const contact = bIds.get('contact') ?? '';
  const session = bIds.get('wses') ?? '';
  const reads = [
    '/api/tags',
    '/api/contacts',
    '/api/sessions',
    `/api/entity-tags/contacts/${contact}/tags?workspaceId=${b.id}`,
    `/api/entity-tags/sessions/${session}/tags?workspaceId=${b.id}`,
  ];
  return JSON.stringify(await Promise.all(reads.map((path) => asB('GET', path))));
}

let before: string;

/** A workspace's records of every kind, by id prefix: a tag, a contact with a session, tagged. */
async function seed(ws: TestWorkspace, names: string[]): Promise<Map<string, string>> {
  const as = async (method: string, path: string, body?: unknown) => {
    const response = await restCall(server, method, path, { body, apiKey: ws.apiKey });
    expect(response.status, `${method} ${path}`).toBeLessThan(300);
    return response.body as Record<string, unknown>;
  };
  const [tagName, description, contactName, externalId, sessionName] = names;
  const tag = await as('POST', '/api/tags', { name: tagName, description });
  const contact = await as('POST', '/api/contacts', { name: contactName, externalId });
  const session = await as('POST', '/api/sessions', { name: sessionName, contactId: contact.id });
  const entityTags = `/api/entity-tags/sessions/${String(session.id)}/tags?workspaceId=${ws.id}`;
  const tagged = await as('POST', `/api/entity-tags/contacts/${String(contact.id)}/tags?workspaceId=${ws.id}`, {
    tagId: tag.id,
  });
  await as('POST', entityTags, { tagId: tag.id });
  const exported = await as('POST', '/api/exports', {});
  const entityTagIds = ((await as('GET', entityTags)).tags as { id: string }[]).map((row) => row.id);
  const endpoint = await as('POST', '/api/webhooks/endpoints', { url: 'http://127.0.0.1:9/tenancy' });
  const delivery = await as('POST', `/api/webhooks/endpoints/${String(endpoint.id)}/test`);
  const jobId = (tagged.deferred as { jobId?: string } | undefined)?.jobId;
  const keyIds = ((await as('GET', '/api/api-keys')).apiKeys as { id: string }[]).map((key) => key.id);
  const ids = new Map<string, string>();
  for (const id of [tag.id, contact.id, session.id, exported.id, jobId, endpoint.id, delivery.id, ...entityTagIds, ...keyIds])
    if (typeof id === 'string') ids.set(id.slice(0, id.indexOf('_')), id);
  expect([...ids.keys()].sort()).toEqual(['contact', 'etag', 'exp', 'job', 'key', 'whdl', 'whep', 'wses', 'wtag']);
  return ids;
}

beforeAll(async () => {
  // No worker and no synchronous fan-out: a contact's tag leaves a propagation job.
  server = await startTestServer({ worker: false, propagation: { syncFanOutLimit: 0 } });
  a = await server.newWorkspace('A');
  b = await server.newWorkspace('B');
  for (const [prefix, id] of await seed(b, bNames)) bIds.set(prefix, id);
  for (const [prefix, id] of await seed(a, ['A tag', 'A description', 'A contact', 'A external', 'A session']))
    aIds.set(prefix, id);
  aRead = (await createApiKey(server.db.fork(), a.id, { name: 'read', scope: 'read' })).secret;
  aWrite = (await createApiKey(server.db.fork(), a.id, { name: 'write', scope: 'write' })).secret;
  before = await snapshotOfB();
});
afterAll(() => server.close());

/** Ids of the same kinds as B's that name nothing at all. */
const ghostIds = () =>
  new Map(
    [...bIds].map(([prefix, id], index) => [
      id,
      `${prefix}_01a20800-0000-7000-8000-${String(index).padStart(12, '0')}`,
    ]),
  );

/** The JSON of a value with B's ids replaced by ids of nothing. */
const withGhosts = (value: unknown): string => {
  let text = JSON.stringify(value);
  // The UUID behind the prefix: Zapini shows ids bare (in messages too).
  const uuidOf = (id: string) => id.slice(id.indexOf('_') + 1);
  for (const [id, ghost] of ghostIds()) text = text.replaceAll(uuidOf(id), uuidOf(ghost));
  return text;
};

/** B's data in a response: any of B's names, or any of B's ids the request did not send itself. */
function leaksOfB(response: unknown, request: unknown): string[] {
  const text = JSON.stringify(response);
  const sent = JSON.stringify(request);
  const ids = [...bIds.values()].filter((id) => !sent.includes(id));
  return [...bNames, ...ids].filter((value) => text.includes(value));
}

// ---------------------------------------------------------------------------------------------
// Inputs from schemas: valid, with B's ids wherever an id goes and the given workspace id.

type JsonSchema = {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  pattern?: string;
  format?: string;
  'x-id-prefix'?: string;
  minItems?: number;
  minimum?: number;
  minLength?: number;
  maxLength?: number;
};

/** Strings that take no pattern but name a record, by their field's name. */
const idByFieldName: Record<string, string> = { jobId: 'job', entityId: 'contact' };

let probeCount = 0;
const probeText = (maxLength = 100) => `probe ${++probeCount}`.slice(0, maxLength);

/**
 * How a probe fills its id slots, in the order the generator meets them: B's id in the slot
 * `foreignSlot` and A's own elsewhere, or B's in every slot (`foreignSlot` = 'all').
 */
type Probe = { workspaceId: number; foreignSlot: number | 'all'; slots: number };
const idFor = (probe: Probe, prefix: string): string | undefined => {
  const slot = probe.slots++;
  return (probe.foreignSlot === 'all' || probe.foreignSlot === slot ? bIds : aIds).get(prefix);
};

const prefixMatching = (pattern: string): string | undefined => {
  const regExp = new RegExp(pattern);
  return [...bIds].find(([, id]) => regExp.test(id))?.[0];
};

/** The id prefix a string schema implies: its `x-id-prefix` (ids take any string), or its pattern's. */
const idPrefixOf = (schema: JsonSchema): string | undefined =>
  schema['x-id-prefix'] ?? (schema.pattern ? prefixMatching(schema.pattern) : undefined);

function exampleOf(schema: JsonSchema, name: string, probe: Probe): unknown {
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) return exampleOf(branches.find((branch) => branch.type !== 'null') ?? {}, name, probe);
  if (name === 'entityType') return 'contact';
  if (schema.enum) return schema.enum[0];
  if (name === 'workspaceId') return probe.workspaceId;
  switch (schema.type) {
    case 'object': {
      const entries = Object.entries(schema.properties ?? {}).filter(
        ([key, property]) => schema.required?.includes(key) || carriesId(property, key),
      );
      return Object.fromEntries(entries.map(([key, property]) => [key, exampleOf(property, key, probe)]));
    }
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () =>
        exampleOf(schema.items ?? {}, name, probe),
      );
    case 'integer':
    case 'number':
      return Math.max(1, schema.minimum ?? 1);
    case 'boolean':
      return false;
    case 'string': {
      const prefix = idPrefixOf(schema) ?? idByFieldName[name];
      if (prefix) return idFor(probe, prefix);
      if (schema.pattern && new RegExp(schema.pattern).test('#123456')) return '#123456';
      if (schema.format === 'uri') return 'http://127.0.0.1:9/probe';
      return probeText(schema.maxLength);
    }
    default:
      return {};
  }
}

/** An optional field that takes an id is filled too: every id slot gets one. */
function carriesId(schema: JsonSchema, name: string): boolean {
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) return branches.some((branch) => carriesId(branch, name));
  if (schema.type === 'array' && schema.items) return carriesId(schema.items, name);
  return (schema.type === 'string' && idPrefixOf(schema) !== undefined) || name in idByFieldName;
}

/**
 * The probes of one input schema: B's ids everywhere, then, when the input takes several ids,
 * each slot in turn with B's id and A's own in the others (a check on one id must not be the
 * only one).
 */
function probesOf(generate: (probe: Probe) => unknown, workspaceId: number): unknown[] {
  const all: Probe = { workspaceId, foreignSlot: 'all', slots: 0 };
  const inputs = [generate(all)];
  if (all.slots > 1)
    for (let slot = 0; slot < all.slots; slot++) inputs.push(generate({ workspaceId, foreignSlot: slot, slots: 0 }));
  return inputs;
}

// ---------------------------------------------------------------------------------------------
// tRPC: every procedure of appRouter.

type Procedure = { _def: { type: 'query' | 'mutation' | 'subscription'; inputs: z.ZodType[] } };
// At run time the router's record is flat, keyed by the dotted path (`tags.get`); its type is nested.
const flatProcedures = appRouter._def.procedures as unknown as Record<string, Procedure>;
// A subscription streams the caller's own workspace only (it takes no workspace or record id);
// events.subscription.test.ts covers it.
const procedures = Object.entries(flatProcedures)
  .filter(([, procedure]) => procedure._def.type !== 'subscription')
  .map(([path, procedure]) => ({
    path,
    type: procedure._def.type,
    schema: procedure._def.inputs[0],
  }));

const jsonSchemaOf = (schema: z.ZodType | undefined): JsonSchema =>
  schema ? (z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema) : { type: 'object' };

const inputsFor = (schema: z.ZodType | undefined, workspaceId: number) =>
  probesOf((probe) => exampleOf(jsonSchemaOf(schema), '', probe), workspaceId) as Record<string, unknown>[];

async function trpcCall(path: string, type: string, input: unknown, apiKey: string) {
  const encoded = encodeURIComponent(JSON.stringify(input));
  return type === 'query'
    ? restCall(server, 'GET', `/trpc/${path}?input=${encoded}`, { apiKey })
    : restCall(server, 'POST', `/trpc/${path}`, { apiKey, body: input });
}

/**
 * Procedures that answer A's probe without a refusal, and why that is right: a list or a create
 * acts in A's own workspace (B's id, if any, is a filter that matches nothing of A's), and a bulk
 * route reports each foreign entity as an error of its own instead of failing the request.
 */
const trpcAnswers: Record<string, string> = {
  'zapini.listTags': 'lists A',
  'zapini.createTag': 'creates in A',
  'exports.list': 'lists A',
  'tags.create': 'creates in A',
  'tags.list': 'lists A',
  'contacts.create': 'creates in A',
  'contacts.list': 'lists A',
  'contacts.bulkUpsert': 'upserts in A',
  'sessions.list': 'lists A, filtered by a contact A does not have',
  'sessions.bulkUpsert': 'reports B’s contact as a per-item error',
  'entityTags.bulkTag': 'with A’s tag, reports B’s entity as a per-entity error (B’s tag: 404)',
  'entityTags.bulkUntag': 'with A’s tag, reports B’s entity as a per-entity error (B’s tag: 404)',
  'apiKeys.list': 'lists A',
  'apiKeys.create': 'creates in A',
  'events.list': 'lists A',
  'webhooks.list': 'lists A',
  'webhooks.create': 'creates in A',
};

/** A refusal other than 404 that a dialect documents for an unknown id (B's is unknown to A). */
const trpcRefusals: Record<string, number> = {
  // Zapini answers an unknown id in `tag_ids` as a validation error: "The selected tag is invalid."
  'zapini.replaceConversationTags': 400,
};

describe('tRPC: every procedure of the router', () => {
  it('covers the router', () => {
    expect(procedures.length).toBeGreaterThanOrEqual(40);
  });

  it("refuses A's key naming workspaceId=B with 403", async () => {
    for (const { path, type, schema } of procedures) {
      const input = { ...inputsFor(schema, b.id)[0], workspaceId: b.id };
      const response = await trpcCall(path, type, input, a.apiKey);
      expect(response.status, path).toBe(403);
      expect(response.body, path).toMatchObject({ error: { data: { errorCode: 'FORBIDDEN' } } });
      expect(leaksOfB(response.body, input), path).toEqual([]);
    }
  });

  it("answers A's key on B's ids with 404, or with A's own data, never B's", async () => {
    const answered = new Set<string>();
    for (const { path, type, schema } of procedures)
      for (const input of inputsFor(schema, a.id)) {
        const label = `${path} ${JSON.stringify(input)}`;
        if (schema) expect(schema.safeParse(input).success, `valid probe: ${label}`).toBe(true);
        const response = await trpcCall(path, type, input, a.apiKey);
        if (response.status < 300) answered.add(path);
        else {
          expect([404, trpcRefusals[path]], label).toContain(response.status);
          // B's record is indistinguishable from no record at all.
          const ghost = await trpcCall(path, type, JSON.parse(withGhosts(input)), a.apiKey);
          expect([ghost.status, JSON.stringify(ghost.body)], label).toEqual([
            response.status,
            withGhosts(response.body),
          ]);
        }
        expect(leaksOfB(response.body, input), label).toEqual([]);
      }
    expect([...answered].sort()).toEqual(Object.keys(trpcAnswers).sort());
  });

  it('refuses a read key every mutation with 403, and lets it through every query but the API-key list', async () => {
    const mutations = procedures.filter((procedure) => procedure.type === 'mutation');
    expect(mutations.length).toBeGreaterThanOrEqual(25);
    for (const { path, type, schema } of procedures) {
      const [input] = inputsFor(schema, a.id);
      const response = await trpcCall(path, type, input, aRead);
      if (type === 'mutation' || path.startsWith('apiKeys.')) {
        expect(response.status, path).toBe(403);
        expect(response.body, path).toMatchObject({ error: { data: { errorCode: 'FORBIDDEN' } } });
      } else expect([200, 404], path).toContain(response.status);
    }
  });

  it('refuses a write key the API-key procedures with 403, and only those', async () => {
    for (const { path, type, schema } of procedures) {
      const [input] = inputsFor(schema, a.id);
      const response = await trpcCall(path, type, input, aWrite);
      if (path.startsWith('apiKeys.')) expect(response.status, path).toBe(403);
      else expect(response.status, path).not.toBe(403);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// GraphQL: every query and mutation of the served schema.

type GraphQLResponse = { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string; status?: number } }[] };

const gq = async (query: string, variables: Record<string, unknown>, apiKey: string) => {
  const response = await restCall(server, 'POST', '/core/gq', {
    body: { query, variables },
    headers: { authorization: apiKey },
  });
  return { status: response.status, body: response.body as GraphQLResponse };
};

function graphQLExample(type: GraphQLInputType, name: string, probe: Probe): unknown {
  if (isNonNullType(type)) return graphQLExample(type.ofType, name, probe);
  if (isListType(type)) return [graphQLExample(type.ofType, name, probe)];
  if (isEnumType(type)) return type.getValues()[0]?.value;
  if (isInputObjectType(type))
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((field) => isNonNullType(field.type) || field.name === 'id')
        .map((field) => [field.name, graphQLExample(field.type, field.name, probe)]),
    );
  if (name === 'workspaceId') return probe.workspaceId;
  // The bcrumbs schema names one kind of record by id: tags.
  if (name === 'id') return idFor(probe, 'wtag');
  if (type.name === 'Int') return 1;
  if (type.name === 'Boolean') return false;
  return probeText();
}

/** Every field of the result, to the depth a response could carry B's data. */
function selectionOf(type: GraphQLOutputType, depth = 0): string {
  const named = getNamedType(type);
  if (!isObjectType(named) || depth > 3) return '';
  const fields = Object.values(named.getFields()).map((field) => `${field.name}${selectionOf(field.type, depth + 1)}`);
  return ` { ${fields.join(' ')} }`;
}

type Operation = { kind: 'query' | 'mutation'; field: GraphQLField<unknown, unknown> };
let operations: Operation[] = [];

const documentFor = ({ kind, field }: Operation) => {
  const variables = field.args.map((arg) => `$${arg.name}: ${arg.type.toString()}`).join(', ');
  const args = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  return `${kind}${variables ? `(${variables})` : ''} { ${field.name}${args ? `(${args})` : ''}${selectionOf(field.type)} }`;
};

const variablesFor = ({ field }: Operation, workspaceId: number) =>
  probesOf(
    (probe) => Object.fromEntries(field.args.map((arg) => [arg.name, graphQLExample(arg.type, arg.name, probe)])),
    workspaceId,
  ) as Record<string, unknown>[];

/** Operations that answer A's probe in A's own workspace (see trpcAnswers). */
const graphQLAnswers = ['createTag', 'tags'];

describe('GraphQL: every operation of /core/gq', () => {
  beforeAll(async () => {
    const introspection = await gq(getIntrospectionQuery(), {}, a.apiKey);
    const schema = buildClientSchema(introspection.body.data as unknown as IntrospectionQuery);
    operations = [
      ...Object.values(schema.getQueryType()?.getFields() ?? {}).map((field) => ({ kind: 'query' as const, field })),
      ...Object.values(schema.getMutationType()?.getFields() ?? {}).map((field) => ({
        kind: 'mutation' as const,
        field,
      })),
    ];
  });

  it('covers the schema', () => {
    expect(operations.map((operation) => operation.field.name).sort()).toEqual(
      expect.arrayContaining(['bulkPatchTags', 'createTag', 'tags']),
    );
  });

  it("refuses A's key naming workspaceId=B with FORBIDDEN", async () => {
    for (const operation of operations) {
      const [variables = {}] = variablesFor(operation, b.id);
      const response = await gq(documentFor(operation), variables, a.apiKey);
      const name = operation.field.name;
      expect(response.status, name).toBe(200);
      expect(
        response.body.errors?.map((error) => error.extensions?.code),
        name,
      ).toEqual(['FORBIDDEN']);
      expect(response.body.data ?? null, name).toBeNull();
      expect(leaksOfB(response.body, variables), name).toEqual([]);
    }
  });

  it("answers A's key on B's ids with NOT_FOUND, or with A's own data, never B's", async () => {
    const answered = new Set<string>();
    for (const operation of operations)
      for (const variables of variablesFor(operation, a.id)) {
        const response = await gq(documentFor(operation), variables, a.apiKey);
        const label = `${operation.field.name} ${JSON.stringify(variables)}`;
        if (!response.body.errors) answered.add(operation.field.name);
        else {
          expect(
            response.body.errors.map((error) => error.extensions?.code),
            label,
          ).toEqual(['NOT_FOUND']);
          const ghost = await gq(documentFor(operation), JSON.parse(withGhosts(variables)), a.apiKey);
          expect(JSON.stringify(ghost.body), label).toEqual(withGhosts(response.body));
        }
        expect(leaksOfB(response.body, variables), label).toEqual([]);
      }
    expect([...answered].sort()).toEqual(graphQLAnswers.sort());
  });

  it('refuses a read key every mutation with FORBIDDEN and answers its queries', async () => {
    expect(operations.filter((operation) => operation.kind === 'mutation').length).toBeGreaterThanOrEqual(2);
    for (const operation of operations) {
      const [variables = {}] = variablesFor(operation, a.id);
      const response = await gq(documentFor(operation), variables, aRead);
      const codes = response.body.errors?.map((error) => error.extensions?.code);
      const name = operation.field.name;
      if (operation.kind === 'mutation') {
        expect(response.status, name).toBe(200);
        expect(codes, name).toEqual(['FORBIDDEN']);
        // As the README says: HTTP 200, the 403 is in the error's extensions.
        expect(response.body.errors?.[0]?.extensions?.status, name).toBe(403);
        expect(response.body.data ?? null, name).toBeNull();
      } else expect(codes ?? [], name).not.toContain('FORBIDDEN');
    }
  });
});

describe('afterwards', () => {
  it("B's data is unchanged", async () => {
    expect(await snapshotOfB()).toEqual(before);
  });

  it('no table holds a key, only its SHA-256, after every dialect has been called with both', async () => {
    const em = server.db.fork();
    const tables = await em.execute<{ table_name: string }[]>(
      `select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
    );
    expect(tables.map((table) => table.table_name)).toContain('api_key');
    for (const { table_name } of tables) {
      const dump = JSON.stringify(await em.execute(`select * from "${table_name}"`));
      for (const key of [a.apiKey, b.apiKey]) expect(dump, table_name).not.toContain(key);
    }
    const hashes = (await em.execute<{ secret_hash: string }[]>('select secret_hash from api_key')).map(
      (row) => row.secret_hash,
    );
    for (const key of [a.apiKey, b.apiKey])
      expect(hashes).toContain(createHash('sha256').update(key, 'utf8').digest('hex'));
  });
});
