import { generateOpenApiDocument } from 'trpc-to-openapi';
import { appRouter } from '../router.ts';
import { restBasePath } from '../rest/rest-plugin.ts';
import type { Meta } from '../trpc/init.ts';

type Operation = { responses?: Record<string, unknown> };
type PathItem = Record<string, Operation>;

/**
 * The OpenAPI 3.1 document of every REST route. The generator documents every success as 200;
 * procedures that declare `successStatus` get their real status here, in one place.
 */
export function openApiDocument(baseUrl: string) {
  const document = generateOpenApiDocument(appRouter, {
    title: 'Tagging service',
    version: '0.1.0',
    description: 'Workspace tags on contacts and sessions, with contact → session inheritance.',
    baseUrl: `${baseUrl}${restBasePath}`,
  });
  const paths = (document.paths ?? {}) as Record<string, PathItem>;
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta } }>;
  for (const procedure of Object.values(procedures)) {
    const meta = procedure._def.meta;
    if (!meta?.successStatus || !meta.openapi) continue;
    const operation = paths[meta.openapi.path]?.[meta.openapi.method.toLowerCase()];
    const ok = operation?.responses?.['200'];
    if (operation?.responses && ok) {
      delete operation.responses['200'];
      operation.responses[String(meta.successStatus)] = ok;
    }
  }
  // The download streams a file from a plain Fastify route (the adapter answers JSON only).
  paths['/exports/{id}/download'] = {
    get: {
      operationId: 'exports-download',
      summary: 'Download a finished export (CSV or JSON lines), streamed',
      tags: ['exports'],
      security: [{ Authorization: [] }],
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      responses: {
        '200': {
          description: 'The file',
          content: {
            'text/csv': { schema: { type: 'string' } },
            'application/x-ndjson': { schema: { type: 'string' } },
          },
        },
        '404': { description: 'No such export in this workspace' },
        '409': { description: 'The export is not finished, or failed (the message says why)' },
      },
    },
  } as unknown as PathItem;
  return document;
}
