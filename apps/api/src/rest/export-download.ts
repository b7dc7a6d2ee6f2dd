import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { ExportIdInput, type ErrorBody } from '@tagging/contracts';
import { DomainError, getExport, readExportChunks, type Database } from '@tagging/domain';
import { errorStatus } from '@tagging/contracts';
import { refusalFor } from '../auth/authorize.ts';

const contentTypes = { csv: 'text/csv; charset=utf-8', jsonl: 'application/x-ndjson; charset=utf-8' } as const;
const chunksPerRead = 8;

/**
 * `GET /api/exports/:id/download`: the file, streamed chunk by chunk from the database (a plain
 * Fastify route: the REST adapter answers JSON only). Memory holds a few chunks at a time.
 */
export async function exportDownloadRoute(app: FastifyInstance, options: { db: Database }): Promise<void> {
  app.get('/api/exports/:id/download', async (req, reply) => {
    const fail = (error: ErrorBody) => reply.code(errorStatus[error.code]).send(error);
    const named = (req.query as Record<string, unknown> | undefined)?.workspaceId;
    const refusal = refusalFor(req.caller, named);
    if (refusal || req.caller === null) return fail(refusal ?? { code: 'UNAUTHORIZED', message: 'API key required' });
    const parsed = ExportIdInput.safeParse(req.params);
    if (!parsed.success)
      return fail({
        code: 'VALIDATION_ERROR',
        message: 'not an export id',
        issues: [{ path: ['id'], message: 'not an export id' }],
      });
    const { workspaceId } = req.caller;
    const { id } = parsed.data;
    let view;
    try {
      view = await getExport(options.db.fork(), workspaceId, id);
    } catch (error) {
      if (error instanceof DomainError) return fail({ code: error.code, message: error.message });
      throw error;
    }
    if (view.status === 'failed')
      return fail({ code: 'CONFLICT', message: `the export failed: ${view.error ?? 'unknown error'}` });
    if (view.status !== 'done')
      return fail({ code: 'CONFLICT', message: `the export is not ready (${Math.round(view.progress * 100)}% done)` });

    const db = options.db;
    async function* chunks() {
      let after = 0;
      for (;;) {
        const batch = await readExportChunks(db.fork(), workspaceId, id, after, chunksPerRead);
        for (const chunk of batch) yield chunk.data;
        const last = batch.at(-1);
        if (!last || batch.length < chunksPerRead) return;
        after = last.seq;
      }
    }
    return reply
      .header('content-type', contentTypes[view.format])
      .header('content-disposition', `attachment; filename="contacts-${id}.${view.format}"`)
      .send(Readable.from(chunks()));
  });
}
