import { EventPage, ListEventsInput } from '@tagging/contracts';
import { listEvents } from '@tagging/domain';
import { workspaceProcedure } from '../../trpc/init.ts';

export const listEventsProcedure = workspaceProcedure
  .meta({
    openapi: {
      method: 'GET',
      path: '/events',
      tags: ['events'],
      summary: 'List change events',
      description:
        'The workspace’s change events after the cursor `after` (an event’s `seq`; 0 or absent: the oldest kept), ' +
        'oldest first, of the comma-separated `types` (all when absent). Page on with `after=nextCursor` while ' +
        '`hasMore`; poll with the last `nextCursor` for new events. `latestSeq` is the workspace’s last event: ' +
        '`after=latestSeq` reads only what comes next. Events are kept `EVENT_RETENTION_DAYS` (default 30). ' +
        'The catalogue, with an example of each, is the `webhooks` section of this document.',
    },
  })
  .input(ListEventsInput)
  .output(EventPage)
  .query(({ ctx, input }) => listEvents(ctx.em, ctx.workspaceId, input));
