import { eventTypesOf, type ChangeEvent, type EventPage, type ListEventsInput } from '@tagging/contracts';
import type { Database, EntityManager } from '../db/database.ts';
import { toIso } from '../db/sql-values.ts';
import { textArray } from '../db/sql-values.ts';

/** An `event` row as the feed reads it. */
export type EventRow = {
  workspace_id: number;
  id: string;
  seq: string | number;
  type: string;
  payload: unknown;
  occurred_at: unknown;
};

/** The event as every surface shows it (feed, subscription, webhook body). */
export function toChangeEvent(row: EventRow): ChangeEvent {
  return {
    id: row.id,
    type: row.type as ChangeEvent['type'],
    workspaceId: row.workspace_id,
    seq: Number(row.seq),
    timestamp: toIso(row.occurred_at),
    data: (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as Record<string, unknown>,
  };
}

/**
 * A page of a workspace's numbered events after `after` (a `seq`), oldest first, of the given
 * types (all when none), without `latestSeq` (what a live stream lists at each wake-up). Only
 * numbered events are read, so a page never shows an event before a smaller number that could
 * still appear (see `event-sequencer.ts`).
 */
export async function listEventsAfter(
  em: EntityManager,
  workspaceId: number,
  input: { after: number; types?: string | readonly string[] | undefined; limit: number },
): Promise<Omit<EventPage, 'latestSeq'>> {
  const listed = eventTypesOf(input.types);
  const types = listed.length > 0 ? listed : undefined;
  const rows = await em.execute<EventRow[]>(
    `select workspace_id, id, seq, type, payload, occurred_at from event
     where workspace_id = ? and seq > ? ${types ? 'and type = any(?::text[])' : ''}
     order by seq limit ?`,
    [workspaceId, input.after, ...(types ? [textArray(types)] : []), input.limit + 1],
  );
  const events = rows.slice(0, input.limit).map(toChangeEvent);
  return { events, nextCursor: events.at(-1)?.seq ?? input.after, hasMore: rows.length > input.limit };
}

/** The feed's page (`listEventsAfter`) with the workspace's last numbered `seq` (`latestSeq`). */
export async function listEvents(
  em: EntityManager,
  workspaceId: number,
  input: { after: number; types?: string | readonly string[] | undefined; limit: number },
): Promise<EventPage> {
  const page = await listEventsAfter(em, workspaceId, input);
  // Read after the page: never below the page's last event.
  return { ...page, latestSeq: Math.max(await latestEventSeq(em, workspaceId), page.events.at(-1)?.seq ?? 0) };
}

export type { ListEventsInput };

/** How long events are kept (`EVENT_RETENTION_DAYS`). */
export type EventRetention = { eventRetentionMs: number; deliveryRetentionMs: number };

/** A delivery's error when its event expired (retention) before it was delivered. */
export const eventExpiredError = 'the event expired before delivery (EVENT_RETENTION_DAYS)';

/**
 * Deletes events older than the retention, and finished webhook deliveries (with their attempts)
 * older than theirs, a thousand rows per statement. A workspace's `event_sequence` row stays, so
 * numbers never restart. Returns how many events went.
 *
 * A delivery is the event's body: one not delivered yet when its event goes can never be sent
 * (it would go with an empty body, validly signed). The statement that deletes the events
 * therefore ends their pending deliveries `failed` with `eventExpiredError` (an integrator sees
 * why, and can read the feed's later events; the event itself is gone for everyone). An attempt
 * in flight (claimed, lease running) already has its body: it is left to record its outcome, and
 * if it must be retried the next claim finds the event gone and ends it the same way. A test
 * delivery carries its own body and is not an event's. Rows are picked by `ctid`, walking the
 * age index (a TID scan): matched back by key, PostgreSQL hash-joined the whole event table, 30
 * days of events read for each 1,000 deleted (session 19).
 */
export async function deleteExpiredEvents(db: Database, retention: EventRetention): Promise<number> {
  let deleted = 0;
  for (;;) {
    const [row] = await db.fork().execute<{ deleted: number }[]>(
      `with gone as (
         delete from event where ctid = any(array(
           select ctid from event where occurred_at < now() - ? * interval '1 millisecond'
           order by occurred_at limit 1000))
         returning workspace_id, id),
       ended as (
         update webhook_delivery d set status = 'failed', last_error = ?, claim_id = null, updated_at = now()
         from gone where d.workspace_id = gone.workspace_id and d.event_id = gone.id
           and d.status = 'pending' and d.payload is null
           and not (d.claim_id is not null and d.next_attempt_at > now())
         returning d.id)
       select (select count(*) from gone)::int as deleted, (select count(*) from ended)::int as ended`,
      [retention.eventRetentionMs, eventExpiredError],
    );
    const rows = row?.deleted ?? 0;
    deleted += rows;
    if (rows < 1000) break;
  }
  // Picked by `ctid` (a TID scan: matched back by key, PostgreSQL hash-joined the whole table),
  // which also leaves alone a delivery retried since it was picked (`pending` again: a new row
  // version, at another `ctid`; matched by key, the delete would have taken it).
  for (;;) {
    const rows = await db.fork().execute<{ id: string }[]>(
      `delete from webhook_delivery where ctid = any(array(
         select ctid from webhook_delivery
         where status <> 'pending' and updated_at < now() - ? * interval '1 millisecond'
         order by updated_at limit 1000))
       returning id`,
      [retention.deliveryRetentionMs],
    );
    if (rows.length < 1000) break;
  }
  return deleted;
}

/** The workspace's last numbered event (0 when none): where a live subscription starts. */
export async function latestEventSeq(em: EntityManager, workspaceId: number): Promise<number> {
  const [row] = await em.execute<{ last_seq: string | number }[]>(
    'select last_seq from event_sequence where workspace_id = ?',
    [workspaceId],
  );
  return row ? Number(row.last_seq) : 0;
}
