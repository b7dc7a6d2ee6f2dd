import type { EventType } from '@tagging/contracts';
import type { EntityManager } from '../db/database.ts';
import { executePrepared } from '../db/prepared-statements.ts';
import { sqlNewId } from '../db/sql-ids.ts';
import { textArray } from '../db/sql-values.ts';
import { countInheritingSessions } from '../entity-tags/propagation.ts';

/**
 * The outbox (issue 17): every change event is inserted by the transaction of the change it
 * describes, so a rolled-back change emits nothing and a committed one is never lost. Events are
 * written unnumbered; `event-sequencer.ts` numbers them per workspace once committed (see
 * docs/DECISIONS.md, "Change events"). One statement per call, whatever the number of events.
 */

/** One event to write: its type and its `data` (the contracts' schema of that type). */
export type EventDraft = { type: EventType; data: Record<string, unknown> };

/** `recordEvents`' statement (parameters: workspace id, event types, JSON payloads, as `text[]`). */
export const recordEventsSql = `insert into event (workspace_id, id, type, payload, occurred_at)
     select ?, ${sqlNewId('evt')}, d.type, d.payload::jsonb, clock_timestamp()
     from unnest(?::text[], ?::text[]) with ordinality as d(type, payload, n) order by d.n`;

/**
 * Writes the events in one `insert … select from unnest`, as a prepared statement (every change
 * runs it: tagging a contact, untagging, tags' changes). `occurred_at` is the clock at the
 * insert, not the transaction's start: a change that waited for a lock is later than the change
 * it waited for, and the sequencer numbers events in that order.
 */
export async function recordEvents(
  em: EntityManager,
  workspaceId: number,
  drafts: readonly EventDraft[],
): Promise<void> {
  if (drafts.length === 0) return;
  await executePrepared(em, 'record_events', recordEventsSql, [
    workspaceId,
    textArray(drafts.map((d) => d.type)),
    textArray(drafts.map((d) => JSON.stringify(d.data))),
  ]);
}

/**
 * The `insert into event` of `session.tagged` for the rows a statement's CTE named `rowsCte`
 * wrote (entity_tag columns), to be added to that statement as one more CTE: the hot route
 * writes its row and its event in one round trip.
 */
export const sessionTaggedEventsCte = (rowsCte: string) =>
  `insert into event (workspace_id, id, type, payload, occurred_at)
   select r.workspace_id, ${sqlNewId('evt')}, 'session.tagged',
          jsonb_build_object('entityType', 'session', 'entityId', r.entity_id, 'tagId', r.tag_id,
                             'sourceType', 'direct', 'sourceEntityType', null, 'sourceEntityId', null),
          clock_timestamp()
   from ${rowsCte} r where r.id is not null`;

/** Entity ids a `tag.merge_progressed` event names at most (a batch may write several). */
export const mergeProgressedIdsPerEvent = 1000;

/**
 * The `insert into event` of `tag.merge_progressed` for the rows a background merge's batch took
 * from the merged tags (CTE `takenCte`, entity_tag columns), to be added to the batch's statement
 * as one more CTE: the entities whose own tags changed (a contact's rows, a session's direct
 * rows), sorted, in events of at most `mergeProgressedIdsPerEvent` ids. Parameters, in order:
 * workspace id, target tag id, merged tag ids (`text[]`, the caller's order), job id.
 */
export const mergeProgressedEventsCte = (takenCte: string) =>
  `insert into event (workspace_id, id, type, payload, occurred_at)
   select ?::int, ${sqlNewId('evt')}, 'tag.merge_progressed',
          jsonb_build_object('tagId', ?::text, 'mergedTagIds', to_jsonb(?::text[]), 'jobId', ?::text,
            'contactIds', coalesce(jsonb_agg(o.entity_id order by o.n) filter (where o.entity_type = 'contact'), '[]'::jsonb),
            'sessionIds', coalesce(jsonb_agg(o.entity_id order by o.n) filter (where o.entity_type = 'session'), '[]'::jsonb)),
          clock_timestamp()
   from (select e.entity_type, e.entity_id,
                row_number() over (order by e.entity_type, e.entity_id collate "C") - 1 as n
         from (select distinct entity_type, entity_id from ${takenCte}
               where entity_type = 'contact' or source_type = 'direct') e) o
   group by o.n / ${mergeProgressedIdsPerEvent}
   order by o.n / ${mergeProgressedIdsPerEvent}`;

/** A direct tag an entity gained (contact or session); a contact's with what its sessions got. */
export const taggedEvent = (
  entityType: 'contact' | 'session',
  entityId: string,
  tagId: string,
  extra: {
    source?: { entityType: 'session'; entityId: string };
    sessionsInherited?: number;
    propagationJobId?: string | null;
  } = {},
): EventDraft => ({
  type: entityType === 'contact' ? 'contact.tagged' : 'session.tagged',
  data: {
    entityType,
    entityId,
    tagId,
    sourceType: extra.source ? 'inherited' : 'direct',
    sourceEntityType: extra.source?.entityType ?? null,
    sourceEntityId: extra.source?.entityId ?? null,
    ...(entityType === 'contact'
      ? { sessionsInherited: extra.sessionsInherited ?? 0, propagationJobId: extra.propagationJobId ?? null }
      : {}),
  },
});

/** A tag an entity's own set lost; a contact's with what its sessions lost. */
export const untaggedEvent = (
  entityType: 'contact' | 'session',
  entityId: string,
  tagId: string,
  extra: {
    reason?: 'untagged' | 'deleted';
    stillInherited?: boolean;
    sessionsLost?: number;
    propagationJobId?: string | null;
  } = {},
): EventDraft => ({
  type: entityType === 'contact' ? 'contact.untagged' : 'session.untagged',
  data: {
    entityType,
    entityId,
    tagId,
    reason: extra.reason ?? 'untagged',
    ...(entityType === 'contact'
      ? { sessionsLost: extra.sessionsLost ?? 0, propagationJobId: extra.propagationJobId ?? null }
      : { stillInherited: extra.stillInherited ?? false }),
  },
});

/**
 * `contact.tagged` for each contact of a bulk, with how many of its sessions inherit the tag now
 * (one grouped count for all of them, after the propagation).
 */
export async function contactsTaggedEvents(
  em: EntityManager,
  workspaceId: number,
  contactIds: readonly string[],
  tagId: string,
): Promise<EventDraft[]> {
  if (contactIds.length === 0) return [];
  const counts = await countInheritingSessions(em, workspaceId, contactIds, tagId);
  return contactIds.map((id) => taggedEvent('contact', id, tagId, { sessionsInherited: counts.get(id) ?? 0 }));
}

/** The direct rows an entity holds now (its own tag set), read before the entity is deleted. */
export async function ownTagsOf(
  em: EntityManager,
  workspaceId: number,
  entityType: 'contact' | 'session',
  entityIds: readonly string[],
): Promise<{ entity_id: string; tag_id: string }[]> {
  if (entityIds.length === 0) return [];
  return em.execute(
    `select entity_id, tag_id from entity_tag
     where workspace_id = ? and entity_type = ? and entity_id = any(?::text[])
       and (entity_type = 'contact' or source_type = 'direct')`,
    [workspaceId, entityType, textArray(entityIds)],
  );
}

/**
 * `contact.untagged` (reason `deleted`) for each tag of a contact about to be deleted, with how
 * many sessions lose what they inherited from it: one grouped read before the delete.
 */
export async function contactDeletedEvents(
  em: EntityManager,
  workspaceId: number,
  contactId: string,
): Promise<EventDraft[]> {
  const rows = await em.execute<{ tag_id: string; sessions: number }[]>(
    `select c.tag_id, (select count(*) from entity_tag s
                        where s.workspace_id = c.workspace_id and s.tag_id = c.tag_id and s.entity_type = 'session'
                          and s.source_type = 'inherited' and s.source_entity_type = 'contact'
                          and s.source_entity_id = c.entity_id)::int as sessions
     from entity_tag c where c.workspace_id = ? and c.entity_type = 'contact' and c.entity_id = ?`,
    [workspaceId, contactId],
  );
  return rows.map((row) =>
    untaggedEvent('contact', contactId, row.tag_id, { reason: 'deleted', sessionsLost: row.sessions }),
  );
}

/**
 * Wraps a job's `update … returning` so that the same statement writes `propagation.finished` or
 * `export.finished` when the update finished the job (`done` or `failed`): the event commits
 * exactly when the job's end does, even where the update runs outside a transaction.
 */
export function withJobFinishedEvent(updateSql: string, job: 'propagation' | 'export'): string {
  const returning =
    job === 'propagation'
      ? `returning workspace_id, id, status, kind, contact_id, tag_id, processed_sessions`
      : `returning workspace_id, id, status, total_rows`;
  const payload =
    job === 'propagation'
      ? `jsonb_build_object('jobId', u.id, 'kind', u.kind, 'contactId', u.contact_id, 'tagId', u.tag_id,
                            'status', u.status, 'processedSessions', u.processed_sessions)`
      : `jsonb_build_object('exportId', u.id, 'status', u.status, 'totalRows', u.total_rows)`;
  return `with u as (${updateSql} ${returning})
    insert into event (workspace_id, id, type, payload, occurred_at)
    select u.workspace_id, ${sqlNewId('evt')}, '${job}.finished', ${payload}, clock_timestamp()
    from u where u.status in ('done', 'failed')`;
}
