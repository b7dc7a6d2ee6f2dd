import { ContactExportView, ExportIdInput } from '@tagging/contracts';
import { getExport } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';
import { withDownloadLink } from '../resource-links.ts';

export const getExportProcedure = workspaceProcedure
  .meta({
    openapi: { method: 'GET', path: '/exports/{id}', tags: ['exports'], summary: 'Status and progress of an export' },
  })
  .input(ExportIdInput)
  .output(ContactExportView)
  .query(({ ctx, input }) => withDownloadLink(getExport(ctx.em, ctx.workspaceId, input.id, ctx.exports)));
