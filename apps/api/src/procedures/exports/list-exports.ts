import { ExportPage, ListExportsInput } from '@tagging/contracts';
import { listExports } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';
import { withDownloadLink } from '../resource-links.ts';

export const listExportsProcedure = workspaceProcedure
  .meta({
    openapi: {
      method: 'GET',
      path: '/exports',
      tags: ['exports'],
      summary: 'List the workspace’s exports, newest first (keyset pagination)',
      description:
        'Every export not yet expired, whatever its status; `expiresAt` says when a finished one (and its file) will be deleted.',
    },
  })
  .input(ListExportsInput)
  .output(ExportPage)
  .query(async ({ ctx, input }) => {
    const page = await listExports(ctx.em, ctx.workspaceId, input, ctx.exports);
    return {
      exports: await Promise.all(page.exports.map((view) => withDownloadLink(Promise.resolve(view)))),
      nextCursor: page.nextCursor,
    };
  });
