import { z } from 'zod';
import { generateOpenApiDocument } from 'trpc-to-openapi';
import type { oas31 } from 'zod-openapi';
import { errorCodeOfHttpStatus, ExportIdInput, type ErrorCode } from '@tagging/contracts';
import { appRouter } from '../router.ts';
import { exportDownloadMeta } from '../rest/export-download.ts';
import { eventWebhooks } from './event-webhooks.ts';
import { restBasePath } from '../rest/rest-plugin.ts';
import type { Meta } from '../trpc/init.ts';
import { nameComponentSchemas } from './component-names.ts';
import { errorResponsesOf, errorSchemas, type Dialect } from './error-responses.ts';
import { operationExamples } from './operation-examples.ts';

export type OpenApiDocument = oas31.OpenAPIObject;
type Operation = oas31.OperationObject;
type Parameter = oas31.ParameterObject;
type Schema = oas31.SchemaObject;

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Every operation of the document with its path and method. */
export function operationsOf(document: OpenApiDocument): { path: string; method: string; operation: Operation }[] {
  return Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    methods.flatMap((method) => {
      const operation = item[method];
      return operation ? [{ path, method, operation }] : [];
    }),
  );
}

const apiKeyScheme: oas31.SecuritySchemeObject = {
  type: 'http',
  scheme: 'bearer',
  bearerFormat: 'API key',
  description:
    'The workspace’s API key (`tgk_…`), as `Authorization: Bearer <key>` (a bare `Authorization: <key>` is ' +
    'accepted too). `./pnpm cli key create --workspace <id>` makes one; the first start prints the demo key.',
};

/** The groups of operations, one per document (dialect) or resource. */
const operationGroups: oas31.TagObject[] = [
  { name: 'tags', description: 'Tag definitions and idempotent contact assignment (document 001)' },
  {
    name: 'entity-tags',
    description: 'Tags on contacts and sessions with contact → session inheritance (document 000)',
  },
  { name: 'contacts', description: 'Contacts, their tag filters and bulk upsert by external id' },
  { name: 'sessions', description: 'Sessions (conversations), linked to at most one contact' },
  { name: 'exports', description: 'Contact exports filtered by tags, built in the background (document 001)' },
  {
    name: 'events',
    description:
      'Change events: the feed (`GET /events`) and, in `webhooks`, what each event’s delivery to an endpoint looks like',
  },
  { name: 'webhooks', description: 'Webhook endpoints, their signing secrets and their deliveries' },
  { name: 'zapini', description: 'The Zapini API v1 (document 002): `{ success, message?, data }` envelopes' },
];

/** The export download is a plain Fastify route (it streams a file); described from its meta. */
const downloadOperation = exportDownloadMeta.openapi;
const exportDownloadPath = {
  [downloadOperation.path]: {
    get: {
      operationId: downloadOperation.operationId,
      summary: downloadOperation.summary,
      tags: downloadOperation.tags,
      security: [{ apiKey: [] }],
      requestParams: { path: ExportIdInput },
      responses: {
        '200': {
          description:
            "The file, with a `Content-Disposition: attachment` name. CSV and JSON lines carry `Content-Length` (the file's exact size, `bytesWritten`); xlsx is sent chunked. If the export is deleted or expires during the download, the connection is closed before the end of the file (never a normal end).",
          content: {
            'text/csv': { schema: z.string() },
            'application/x-ndjson': { schema: z.string() },
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
              schema: z.string().meta({ format: 'binary' }),
            },
          },
        },
      },
    },
  },
};

/**
 * Each operation's meta, by operation id (the generator's: the procedure path with `-`), the
 * download's included: the one walk of the router.
 */
function metaByOperationId(): Map<string, Meta> {
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta } }>;
  const metas: [string, Meta][] = Object.entries(procedures).flatMap(
    ([
      path,
      {
        _def: { meta },
      },
    ]) => (meta?.openapi ? [[meta.openapi.operationId ?? path.replace(/\./g, '-'), meta] as [string, Meta]] : []),
  );
  metas.push([exportDownloadMeta.openapi.operationId, exportDownloadMeta]);
  return new Map(metas);
}

const isParameter = (parameter: Parameter | oas31.ReferenceObject): parameter is Parameter => 'in' in parameter;
const jsonBodySchemaOf = (operation: Operation): Schema | undefined => {
  const body = operation.requestBody;
  const schema = body && !('$ref' in body) ? body.content['application/json']?.schema : undefined;
  return schema && !('$ref' in schema) ? schema : undefined;
};

/** The generator documents every success as 200: procedures with `successStatus` say otherwise. */
function correctSuccessStatus(operation: Operation, meta: Meta | undefined): void {
  const ok = operation.responses?.['200'] as unknown;
  if (!meta?.successStatus || !operation.responses || !ok) return;
  delete operation.responses['200'];
  operation.responses[String(meta.successStatus)] = ok;
}

/**
 * The adapter reads a write's input from its body, but the Entity Tags document (and the REST
 * plugin's merge) puts `workspaceId` in the query string: describe it there.
 */
function moveWorkspaceIdToQuery(operation: Operation): void {
  const schema = jsonBodySchemaOf(operation);
  const property = schema?.properties?.workspaceId;
  if (!schema?.properties || !property) return;
  delete schema.properties.workspaceId;
  const required = schema.required?.includes('workspaceId') ?? false;
  schema.required = schema.required?.filter((name) => name !== 'workspaceId');
  if (schema.required?.length === 0) delete schema.required;
  const { description, ...parameterSchema } = property as Schema;
  operation.parameters = [
    ...(operation.parameters ?? []),
    { name: 'workspaceId', in: 'query', required, schema: parameterSchema, ...(description ? { description } : {}) },
  ];
  // A write whose only input was the workspace (sync-tags) has no body, as the document shows.
  if (Object.keys(schema.properties).length === 0) delete operation.requestBody;
}

/**
 * A write without a body is taken as `{}` (the REST plugin), so a body whose every property is
 * optional (an export of the whole workspace, say) may be left out: not `required`.
 */
function markOptionalBody(operation: Operation): void {
  const body = operation.requestBody;
  const schema = jsonBodySchemaOf(operation);
  if (body && !('$ref' in body) && schema && !schema.required?.length) body.required = false;
}

/** Every operation's error responses, in its dialect's body, replacing the generator's guesses. */
function correctErrorResponses(
  path: string,
  method: string,
  operation: Operation,
  meta: Meta | undefined,
  components: Record<string, oas31.ResponseObject>,
): void {
  const dialect: Dialect = path.startsWith('/v1/') ? 'zapini' : 'rest';
  const parameters = (operation.parameters ?? []).filter(isParameter);
  const codes: ErrorCode[] = ['INTERNAL_ERROR', 'UNAVAILABLE'];
  if (operation.security?.length) codes.push('UNAUTHORIZED', 'RATE_LIMITED');
  // A `workspaceId` that is not a workspace id is refused on every route with a key, also one
  // whose input has none (`checkNamedWorkspace`).
  if (parameters.length > 0 || operation.requestBody || operation.security?.length) codes.push('VALIDATION_ERROR');
  // Every body has a size limit (`http/body-limits.ts`) and one media type, JSON without coding,
  // also one sent where the operation takes none: 413 and 415 on every operation.
  codes.push('PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE');
  // 403 on every route with a key: a `read` key on a write (`scopeRefusal`), and a `workspaceId`
  // naming another workspace, refused on every route, also one whose input has none (`refusalFor`).
  if (operation.security?.length) codes.push('FORBIDDEN');
  if (parameters.some((parameter) => parameter.in === 'path')) codes.push('NOT_FOUND');
  // The errors the route declares beyond what its shape implies (its `openapi.errorResponses`).
  const declared = meta?.openapi?.errorResponses ?? [];
  const statuses = Array.isArray(declared) ? declared : Object.keys(declared).map(Number);
  codes.push(...statuses.map(errorCodeOfHttpStatus));
  if (parameters.some((parameter) => parameter.name === 'Idempotency-Key'))
    codes.push('CONFLICT', 'IDEMPOTENCY_KEY_REUSED');
  const successes = Object.entries(operation.responses ?? {}).filter(([status]) => /^[23]/.test(status));
  operation.responses = { ...Object.fromEntries(successes), ...errorResponsesOf(dialect, codes, components) };
}

/**
 * Every POST takes an `Idempotency-Key` (`http/idempotency.ts`, issue 19): the header, and the
 * answers it adds: 409 while the key's first request runs, 422 when it named another request.
 */
function addIdempotencyKey(method: string, operation: Operation): void {
  if (method !== 'post') return;
  operation.parameters = [
    ...(operation.parameters ?? []),
    {
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description:
        'Makes a retry safe: the same key with the same request replays the first response ' +
        '(with `Idempotent-Replayed: true`) for 24 hours by default; with another request, 422; while the first runs, 409.',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    },
  ];
}

/** The documents' examples, on the request body, the success body and the parameters. */
function addExamples(operation: Operation): void {
  const examples = operationExamples[operation.operationId ?? ''];
  if (!examples) return;
  const body = operation.requestBody;
  const requestMedia = body && !('$ref' in body) ? body.content['application/json'] : undefined;
  if (requestMedia && examples.request !== undefined) requestMedia.example = examples.request;
  const success = Object.entries(operation.responses ?? {}).find(([status]) => status.startsWith('2'))?.[1] as
    oas31.ResponseObject | undefined;
  const responseMedia = success?.content?.['application/json'];
  if (responseMedia && examples.response !== undefined) responseMedia.example = examples.response;
  for (const parameter of (operation.parameters ?? []).filter(isParameter)) {
    const example = examples.parameters?.[parameter.name];
    if (example !== undefined) parameter.example = example;
  }
}

/**
 * The OpenAPI 3.1 document of every REST route (`/api/...` and Zapini's `/api/v1/...`),
 * generated by trpc-to-openapi from the procedures and their meta (each route's own facts: its
 * further error statuses, request and response headers) and corrected here, in one place, only
 * where the generator cannot know better, the same way for every route: success statuses,
 * `workspaceId` in the query of writes, each dialect's error bodies, the documents' examples.
 * Its server is the relative `/api`; `openApiDocument` names the address.
 */
function buildOpenApiDocument(): OpenApiDocument {
  nameComponentSchemas();
  const document = generateOpenApiDocument(appRouter, {
    title: 'Tagging service',
    version: '0.1.0',
    description:
      'Workspace tags on contacts and sessions, with contact → session inheritance. ' +
      'Every route needs the workspace’s API key (Authorize).',
    baseUrl: restBasePath,
    securitySchemes: { apiKey: apiKeyScheme },
    defs: errorSchemas,
    paths: exportDownloadPath,
  }) as OpenApiDocument;
  document.tags = operationGroups;
  // The generator's own error schemas (tRPC's shape) give way to the dialects' bodies.
  const schemas = Object.fromEntries(
    Object.entries(document.components?.schemas ?? {}).filter(([name]) => !name.startsWith('error.')),
  );
  const responses: Record<string, oas31.ResponseObject> = {};
  document.components = { ...document.components, schemas, responses };

  const metas = metaByOperationId();
  for (const { path, method, operation } of operationsOf(document)) {
    const meta = metas.get(operation.operationId ?? '');
    correctSuccessStatus(operation, meta);
    moveWorkspaceIdToQuery(operation);
    markOptionalBody(operation);
    addIdempotencyKey(method, operation);
    correctErrorResponses(path, method, operation, meta, responses);
    addExamples(operation);
  }
  const events = eventWebhooks();
  document.webhooks = events.webhooks;
  document.components.schemas = { ...events.schemas, ...document.components.schemas };
  return document;
}

// Everything but the server URL depends only on the router: built on first use, once per process.
let built: OpenApiDocument | undefined;

/**
 * The document with `baseUrl` (`http(s)://host[:port]`, no path) as its server: a shallow copy
 * of the one built document with its own `servers`, so that a new address costs no generation.
 * The copy shares everything else with every other: callers must not modify it.
 */
export function openApiDocument(baseUrl: string): OpenApiDocument {
  built ??= buildOpenApiDocument();
  return { ...built, servers: [{ url: `${baseUrl}${restBasePath}` }] };
}
