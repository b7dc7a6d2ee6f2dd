import { ContactExportView, CreateExportInput } from '@tagging/contracts';
import { createExport } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';
import { withDownloadLink } from '../resource-links.ts';

export const createExportProcedure = workspaceProcedure
  .meta({
    successStatus: 202,
    openapi: {
      method: 'POST',
      path: '/exports',
      tags: ['exports'],
      summary: 'Export the contacts matching a tag filter (CSV, xlsx or JSON lines) with their tag names',
      description:
        "Built in the background; follow `GET /exports/{id}`, then download `downloadUrl`. A workspace may have a few exports queued or running at once (`EXPORT_MAX_ACTIVE_PER_WORKSPACE`, default 5); beyond that the answer is 429 with `Retry-After`. Finished exports expire (`EXPORT_EXPIRY_DAYS`, default 7) and then answer 404. CSV and xlsx cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or carriage return, or the full-width `＝`, `＋`, `－`, `＠`) get a leading apostrophe (`'`); the tags cell is a JSON array of the exact tag names; `bom: true` starts a CSV with a UTF-8 byte order mark for Excel (`bom: true` with another format is a 400). JSON lines keep every value exact. Every id in `tagIds` and `excludeTagIds` must be a tag of the workspace: an unknown one is a 404 naming it, so that a mistyped exclusion cannot export the contacts it meant to leave out.",
      errorResponses: [404],
    },
  })
  .input(CreateExportInput)
  .output(ContactExportView)
  .mutation(({ ctx, input }) => withDownloadLink(createExport(ctx.em, ctx.workspaceId, input, ctx.exports)));
