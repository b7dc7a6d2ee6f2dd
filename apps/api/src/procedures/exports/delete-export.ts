import { DeleteResult, ExportIdInput } from '@tagging/contracts';
import { deleteExport } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';
import { succeeded } from '../success-envelope.ts';

export const deleteExportProcedure = workspaceProcedure
  .meta({
    openapi: {
      method: 'DELETE',
      path: '/exports/{id}',
      tags: ['exports'],
      summary: 'Delete an export and its file; one queued or being built is cancelled',
      description:
        'The worker building it stops at its next batch and nothing of it is kept; its routes then answer 404.',
    },
  })
  .input(ExportIdInput)
  .output(DeleteResult)
  .mutation(({ ctx, input }) => succeeded(deleteExport(ctx.em, ctx.workspaceId, input.id)));
