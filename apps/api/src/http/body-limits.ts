import { restBasePath } from '../rest/rest-plugin.ts';
import { appRouter } from '../router.ts';
import { graphQLPath } from '../errors/surface-errors.ts';

/**
 * The procedures that take many items in one body (up to `maxBulkEntities`): only these get the
 * bulk body limit, on `/trpc` and on their REST route; every other operation gets the small one.
 */
export const bulkProcedures: readonly string[] = [
  'contacts.bulkUpsert',
  'sessions.bulkUpsert',
  'entityTags.bulkTag',
  'entityTags.bulkUntag',
  'tags.bulkPatch',
];

type ProcedureDefinitions = Record<string, { _def: { meta?: { openapi?: { method: string; path: string } } } }>;

const restRoutesOf = (names: readonly string[]) =>
  names.flatMap((name) => {
    const openapi = (appRouter._def.procedures as unknown as ProcedureDefinitions)[name]?._def.meta?.openapi;
    if (!openapi) return [];
    const pattern = openapi.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+');
    return [{ method: openapi.method, path: new RegExp(`^${restBasePath}${pattern}/?$`) }];
  });

const bulkRestRoutes = restRoutesOf(bulkProcedures);

/** What a 413 says: the route's limit, never the request. */
export const tooLargeMessage = (limit: number) => `the body is larger than this route takes (${limit} bytes)`;

export type BodyLimits = { bodyLimitBytes: number; bulkBodyLimitBytes: number };

/**
 * The body limit of a request (bytes): the bulk one for a bulk operation's REST route, or a tRPC
 * batch with a bulk call in it; for any other tRPC batch, the small one per call (up to the bulk
 * one); the small one for everything else, GraphQL included (its largest mutation, 1,000 tag
 * patches, is far below it).
 */
export function bodyLimitOf(method: string, url: string, limits: BodyLimits): number {
  const path = url.split('?', 1)[0] ?? '';
  if (path.startsWith('/trpc/')) {
    const names = path.slice('/trpc/'.length).split(',');
    if (names.some((name) => bulkProcedures.includes(name))) return limits.bulkBodyLimitBytes;
    return Math.min(limits.bulkBodyLimitBytes, limits.bodyLimitBytes * names.length);
  }
  if (path === graphQLPath) return limits.bodyLimitBytes;
  if (bulkRestRoutes.some((route) => route.method === method && route.path.test(path)))
    return limits.bulkBodyLimitBytes;
  return limits.bodyLimitBytes;
}
