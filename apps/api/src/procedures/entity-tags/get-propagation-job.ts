import { PropagationJobInput, PropagationJob } from '@tagging/contracts';
import { getPropagationJob } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';

export const getPropagationJobProcedure = workspaceProcedure
  .meta({
    openapi: {
      method: 'GET',
      path: '/entity-tags/jobs/{jobId}',
      tags: ['entity-tags'],
      summary: 'Follow a propagation that continues in the background',
    },
  })
  .input(PropagationJobInput)
  .output(PropagationJob)
  .query(({ ctx, input }) => getPropagationJob(ctx.em, ctx.workspaceId, input.jobId));
