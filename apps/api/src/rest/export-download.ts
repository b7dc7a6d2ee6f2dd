import { finished, Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { TRPCError } from '@trpc/server';
import type { ErrorBody } from '@tagging/contracts';
import { defaultExportSettings, exportFile } from '@tagging/domain';
import { failureOf } from '../errors/api-failure.ts';
import { restFailure } from '../errors/rest-error-bodies.ts';
import { OpenCounts } from '../http/open-counts.ts';
import { createRequestContext, type ProcedureSurfaceOptions } from '../trpc/context.ts';
import type { Meta } from '../trpc/init.ts';
import { createAppCaller } from '../trpc/server-callers.ts';
import { checkNamedWorkspace } from './rest-call.ts';

/** What a download refused for too many at once tells the client to wait (seconds). */
const downloadRetryAfterSeconds = 5;

const contentTypes = {
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/**
 * The download's OpenAPI facts, in a procedure's meta shape (the OpenAPI document describes
 * the route from it): a file, and 409 while the export is not done or when it failed.
 */
export const exportDownloadMeta = {
  openapi: {
    method: 'GET',
    path: '/exports/{id}/download',
    operationId: 'exports-download',
    summary: 'Download a finished export (CSV, xlsx or JSON lines), streamed',
    tags: ['exports'],
    errorResponses: [409],
  },
} satisfies Meta;

/**
 * `GET /api/exports/:id/download`: the file, streamed chunk by chunk from the database (a plain
 * Fastify route: the REST adapter answers JSON only; xlsx is zipped as it streams, see the
 * domain's `exportFile`). The export is found through its procedure (`exports.get`, called
 * in-process: the same authorization, parsing and failure mapping as every route); memory holds
 * a few chunks at a time, and a slow client slows the reads (the stream's backpressure). A
 * workspace has at most `maxDownloadsPerWorkspace` downloads open in this process; one more
 * answers 429 with `Retry-After` (docs/EXPORTS.md).
 */
export async function exportDownloadRoute(app: FastifyInstance, options: ProcedureSurfaceOptions): Promise<void> {
  const maxDownloads =
    options.exports?.maxDownloadsPerWorkspace ?? defaultExportSettings.maxDownloadsPerWorkspace ?? Infinity;
  /** Downloads being sent, per workspace. */
  const open = new OpenCounts<number>();
  app.get('/api/exports/:id/download', async (req, reply) => {
    const fail = (failure: ErrorBody) => {
      const { status, body } = restFailure(failure);
      return reply.code(status).send(body);
    };
    const query = typeof req.query === 'object' && req.query !== null ? req.query : {};
    const params = typeof req.params === 'object' && req.params !== null ? req.params : {};
    let view;
    try {
      // The export's input has no workspaceId: checked as on every REST route.
      checkNamedWorkspace(req);
      view = await createAppCaller(createRequestContext(options, req, { singleCall: true })).exports.get({
        ...query,
        ...params,
      } as never);
    } catch (error) {
      if (!(error instanceof TRPCError)) throw error;
      const failure = failureOf(error);
      // An internal error goes to the server's error handler, which logs it and says nothing.
      if (failure.code === 'INTERNAL_ERROR') throw error.cause ?? error;
      return fail(failure);
    }
    if (view.status === 'failed')
      return fail({ code: 'CONFLICT', message: `the export failed: ${view.error ?? 'unknown error'}` });
    if (view.status !== 'done')
      return fail({ code: 'CONFLICT', message: `the export is not ready (${Math.round(view.progress * 100)}% done)` });

    const { db } = options;
    const { id } = view;
    // The procedure answered, so the request has a caller (it refuses one without).
    const { caller } = req;
    if (caller === null) throw new Error('the export procedure answered a request without a caller');
    const { workspaceId } = caller;
    // The stored size is the file's for CSV and JSON lines, so a client can tell a cut transfer
    // from a complete one; an xlsx is zipped as it streams (chunked, no length known). A file
    // whose export is deleted meanwhile fails its stream, and Fastify then destroys the
    // connection: never a normal end.
    const close = open.tryOpen(workspaceId, maxDownloads);
    if (!close) {
      reply.header('retry-after', String(downloadRetryAfterSeconds));
      return fail({
        code: 'RATE_LIMITED',
        message: `this workspace already has ${maxDownloads} export downloads in progress; retry when one finishes`,
      });
    }
    // The response's end, however it ends (complete, failed, client gone), frees the place;
    // `finished` also calls back for a response already closed while the export was looked up
    // (a client that half-closed its socket: attack finding, session 6), where a `close`
    // listener added now would never run.
    finished(reply.raw, close);
    if (view.format !== 'xlsx') reply.header('content-length', view.bytesWritten);
    return (
      reply
        .header('content-type', contentTypes[view.format])
        .header('content-disposition', `attachment; filename="contacts-${id}.${view.format}"`)
        // One chunk buffered ahead of the socket at most (Readable.from would take 16).
        .send(Readable.from(exportFile(db, workspaceId, view), { highWaterMark: 1 }))
    );
  });
}
