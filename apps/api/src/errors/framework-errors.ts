import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody } from '@tagging/contracts';
import { toZapiniError } from '../rest/rest-plugin.ts';
import { trpcErrorBody } from '../trpc/trpc-plugin.ts';
import { errorCodeOfHttpStatus } from './error-table.ts';

/**
 * What Fastify refuses before any route or scope runs (a URL that does not decode), answered in
 * the error shape of the surface the URL names instead of Fastify's own.
 */
export function frameworkErrors(error: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  const url = req.raw.url ?? '';
  const body: ErrorBody = { code: errorCodeOfHttpStatus(status), message: error.message };
  const answer = url.startsWith('/trpc/')
    ? trpcErrorBody(status, error.message)
    : url.startsWith('/api/v1/')
      ? toZapiniError(body)
      : body;
  void reply.code(status).type('application/json; charset=utf-8').send(answer);
}
