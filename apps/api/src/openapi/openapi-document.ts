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
  return document;
}
