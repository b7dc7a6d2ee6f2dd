import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { publicMessageOf } from './error-table.ts';
import { sendSurfaceError } from './surface-errors.ts';

/**
 * What Fastify refuses before any route or scope runs (a URL that does not decode, a path
 * segment over `maxParamLength`), answered in the error shape of the surface the URL names
 * instead of Fastify's own, and without repeating the URL.
 */
export function frameworkErrors(error: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  void sendSurfaceError(reply, status, publicMessageOf(error));
}
