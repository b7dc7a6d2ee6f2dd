import { appRouter, bcrumbsRouter } from '../router.ts';
import { createCallerFactory } from './init.ts';

/**
 * The procedures called in-process, with a request's inner context: the transports that are
 * not tRPC's own adapters (GraphQL, the export download) go through the same base procedures
 * (authorization, one EntityManager per call, the failure mapped through the error table) as
 * `/trpc` and the REST routes. A failure is thrown as a `TRPCError`; `errors/api-failure.ts`
 * reads it.
 */
export const createAppCaller = createCallerFactory(appRouter);

/** The bcrumbs GraphQL dialect's procedures (not served over `/trpc` or REST). */
export const createBcrumbsCaller = createCallerFactory(bcrumbsRouter);
