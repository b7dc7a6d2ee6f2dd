import type { EntityType } from '@tagging/contracts';
import type { Actor } from '../actor.ts';
import type { EntityManager } from '../db/database.ts';
import { executePrepared } from '../db/prepared-statements.ts';
import { sqlNewId } from '../db/sql-ids.ts';
import { textArray } from '../db/sql-values.ts';
import { mergeProgressedEventsCte, sessionTaggedEventsCte } from '../events/event-outbox.ts';
import { sessionLockCte } from './entity-locks.ts';
import type { EntityTagRow } from './entity-tag-rows.ts';
import { tagRowExists } from './tag-row-probe.ts';

/**
 * The entity-tag store: every statement that inserts, updates or deletes `entity_tag` rows, each
 * set-based (one statement for any number of entities and tags) and each the one place its rule
 * is written. The rules are DESIGN.md's "Inheritance: the rules every code path keeps": for a
 * session S linked to contact C, the tags of S are direct(S) ∪ tags(C), each once; a tag of S is
 * `direct` if in direct(S), otherwise `inherited` with source (`contact`, C); an unlinked session
 * has only its direct tags.
 *
 * Callers (the services) lock first, as `entity-locks.ts` orders it: the entities whose rows
 * change, their contacts, and key-share locks on the tags. The store then writes without reading
 * anything the locks do not protect. Id lists travel as one `text[]` parameter each
 * (`= any(?::text[])`, built by `textArray`); a list of entities is two parallel arrays (types
 * and ids) and several lists combine as their cross product.
 *
 * Who did it: a row the caller applies to an entity (direct, or a contact's from
 * `propagateToContact`) records the `actor`'s key in `applied_by_key_id`; rows a session inherits
 * from its contact record null (the contact's row says who), and a moved row keeps its own.
 */

export type EntityRef = { entityType: EntityType; entityId: string };

const entityColumns = (entities: readonly EntityRef[]) => [
  textArray(entities.map((entity) => entity.entityType)),
  textArray(entities.map((entity) => entity.entityId)),
];

/** Every (entity, tag) pair of the lists, as rows (workspace_id, entity_type, entity_id, tag_id). */
const pairsSql = `select ?::int, e.entity_type, e.entity_id, t.tag_id
  from unnest(?::text[], ?::text[]) as e(entity_type, entity_id) cross join unnest(?::text[]) as t(tag_id)`;

const pairsParams = (workspaceId: number, entities: readonly EntityRef[], tagIds: readonly string[]) => [
  workspaceId,
  ...entityColumns(entities),
  textArray(tagIds),
];

/**
 * Make direct. Rule 2: a tag the entity holds because it was applied to it is `direct`, so
 * applying it writes a direct row, or turns the entity's inherited row of it direct (a
 * session's tag from its contact, a contact's tag from `propagateToContact`). A row that is
 * direct already is left alone and not returned. `target` yields (workspace_id, entity_type,
 * entity_id, tag_id); the first parameter is the actor's key, then the target's.
 */
const makeDirectSql = (target: string) =>
  `insert into entity_tag (workspace_id, id, entity_type, entity_id, tag_id, source_type, applied_by_key_id)
   select target.workspace_id, ${sqlNewId('etag')}, target.entity_type, target.entity_id, target.tag_id, 'direct', ?::text
   from (${target}) as target(workspace_id, entity_type, entity_id, tag_id)
   on conflict (workspace_id, entity_type, entity_id, tag_id) do update
     set source_type = 'direct', source_entity_type = null, source_entity_id = null,
         applied_by_key_id = excluded.applied_by_key_id
     where entity_tag.source_type <> 'direct'
   returning *`;

/**
 * Makes each tag direct on each entity (see `makeDirectSql`); returns the rows written or turned
 * direct. Callers hold the entities' locks and the tags' key-share locks.
 */
export function makeDirect(
  em: EntityManager,
  workspaceId: number,
  entities: readonly EntityRef[],
  tagIds: readonly string[],
  actor: Actor,
): Promise<EntityTagRow[]> {
  if (entities.length === 0 || tagIds.length === 0) return Promise.resolve([]);
  return executePrepared<EntityTagRow>(em, 'make_direct', makeDirectPairsSql, [
    actor.apiKeyId,
    ...pairsParams(workspaceId, entities, tagIds),
  ]);
}

/** `makeDirect`'s statement (parameters: actor's key id or null, workspace id, entity types, entity ids, tag ids). */
export const makeDirectPairsSql = makeDirectSql(pairsSql);

/**
 * `makeDirect`'s statement that also writes the `session.tagged` event of every session row it
 * wrote (the outbox, issue 17), answering how many rows were written and the contacts among
 * them: a row per contact (or one row with a null contact), each with the count. A bulk tag's
 * events are built by PostgreSQL from the rows, not sent back as one JSON parameter per row, and
 * its 10,000 written sessions are not sent back either. (Not an `array_agg`: the PGlite path's
 * row parsing leaves arrays as text.)
 */
export const makeDirectRecordingSessionEventsSql = `with written as (${makeDirectSql(pairsSql)}),
     event as (${sessionTaggedEventsCte(`(select * from written where entity_type = 'session')`)})
     select total.written, contact.entity_id as contact_id
     from (select count(*)::int as written from written) as total
     left join written as contact on contact.entity_type = 'contact'`;

/**
 * `makeDirect` for many entities and one statement, each session's `session.tagged` event
 * already recorded (a contact's event, which counts its sessions, is the caller's): `written`
 * counts the rows written or turned direct, `contactIds` are the contacts among them. Callers
 * hold the locks as for `makeDirect`.
 */
export async function makeDirectRecordingSessionEvents(
  em: EntityManager,
  workspaceId: number,
  entities: readonly EntityRef[],
  tagIds: readonly string[],
  actor: Actor,
): Promise<{ written: number; contactIds: string[] }> {
  if (entities.length === 0 || tagIds.length === 0) return { written: 0, contactIds: [] };
  const rows = await executePrepared<{ written: number; contact_id: string | null }>(
    em,
    'make_direct_with_session_events',
    makeDirectRecordingSessionEventsSql,
    [actor.apiKeyId, ...pairsParams(workspaceId, entities, tagIds)],
  );
  const contactIds: string[] = [];
  for (const row of rows) if (row.contact_id !== null) contactIds.push(row.contact_id);
  return { written: rows[0]?.written ?? 0, contactIds };
}

/** `makeSessionTagDirect`'s statement (parameters: workspace id, session id, workspace id, tag id, actor's key id or null). */
export const makeSessionTagDirectSql = `with s as (${sessionLockCte}),
     t as (select id from tag where workspace_id = ? and id = ?),
     written as (${makeDirectSql(`select s.workspace_id, 'session', s.id, t.id from s, t`)}),
     event as (${sessionTaggedEventsCte('written')})
     select (select count(*) from s)::int as session_found, (select count(*) from t)::int as tag_found, written.*
     from (select 1) as one left join written on true`;

export type SessionTagOutcome = { sessionFound: boolean; tagFound: boolean; row: EntityTagRow | undefined };

/**
 * Tagging one session alone, as one statement that is atomic on its own: the session's lock
 * (`sessionLockCte`, first, as everywhere), the tag's existence, and the make-direct upsert,
 * whose foreign key takes the tag's key-share lock. Two round trips fewer than locking in
 * statements of their own, which the benchmark showed to be the cost of the hot route.
 * `row` is undefined when the session already had the tag directly (or one is not found). The
 * change's `session.tagged` event is written by the same statement (the outbox, issue 17).
 */
export async function makeSessionTagDirect(
  em: EntityManager,
  workspaceId: number,
  sessionId: string,
  tagId: string,
  actor: Actor,
): Promise<SessionTagOutcome> {
  const [row] = await executePrepared<Partial<EntityTagRow> & { session_found: number; tag_found: number }>(
    em,
    'tag_session',
    makeSessionTagDirectSql,
    [workspaceId, sessionId, workspaceId, tagId, actor.apiKeyId],
  );
  const { session_found, tag_found, ...written } = row ?? { session_found: 0, tag_found: 0 };
  return {
    sessionFound: session_found > 0,
    tagFound: tag_found > 0,
    row: written.id ? (written as EntityTagRow) : undefined,
  };
}

/**
 * Assign if absent (document 001's idempotent assignment): a direct row for each pair that has
 * no row yet; an existing row, whatever its source, stays as it is. Returns the rows written.
 */
export function addDirectIfAbsent(
  em: EntityManager,
  workspaceId: number,
  entities: readonly EntityRef[],
  tagIds: readonly string[],
  actor: Actor,
): Promise<{ entity_id: string; tag_id: string }[]> {
  if (entities.length === 0 || tagIds.length === 0) return Promise.resolve([]);
  return em.execute(
    `insert into entity_tag (workspace_id, id, entity_type, entity_id, tag_id, source_type, applied_by_key_id)
     select target.workspace_id, ${sqlNewId('etag')}, target.entity_type, target.entity_id, target.tag_id, 'direct', ?::text
     from (${pairsSql}) as target(workspace_id, entity_type, entity_id, tag_id)
     on conflict (workspace_id, entity_type, entity_id, tag_id) do nothing
     returning entity_id, tag_id`,
    [actor.apiKeyId, ...pairsParams(workspaceId, entities, tagIds)],
  );
}

/**
 * `propagateToContact`: the session's contact gets the tag, recorded as coming from the session
 * (`inherited`, source (`session`, S)); from then on it is the contact's tag. A contact that has
 * the tag already keeps its row. True when the row was written.
 */
export async function addContactTagFromSession(
  em: EntityManager,
  workspaceId: number,
  contactId: string,
  tagId: string,
  sessionId: string,
  actor: Actor,
): Promise<boolean> {
  const rows = await em.execute(
    `insert into entity_tag (workspace_id, id, entity_type, entity_id, tag_id, source_type, source_entity_type, source_entity_id, applied_by_key_id)
     values (?, ${sqlNewId('etag')}, 'contact', ?, ?, 'inherited', 'session', ?, ?)
     on conflict (workspace_id, entity_type, entity_id, tag_id) do nothing
     returning id`,
    [workspaceId, contactId, tagId, sessionId, actor.apiKeyId],
  );
  return rows.length > 0;
}

/**
 * Release direct. Rules 1 and 2 when a session's direct tag goes: the row falls back to
 * `inherited` from the session's contact when that contact has the tag, otherwise it is
 * deleted. Only direct rows of the listed sessions and tags are touched (an inherited row is the
 * contact's, not the session's to remove). One statement; returns how many rows fell back and
 * how many went. Callers hold the sessions' and their contacts' locks.
 */
export async function releaseDirect(
  em: EntityManager,
  workspaceId: number,
  sessionIds: readonly string[],
  tagIds: readonly string[],
): Promise<{ fellBack: number; deleted: number }> {
  if (sessionIds.length === 0 || tagIds.length === 0) return { fellBack: 0, deleted: 0 };
  // The two writes touch disjoint rows (split by contact_has), so they can share one statement.
  const [row] = await em.execute<{ fell_back: number; deleted: number }[]>(
    `with target as (
       select et.id, s.contact_id,
              ${tagRowExists(
                (c) => `${c}.workspace_id = et.workspace_id and ${c}.entity_type = 'contact'
                        and ${c}.entity_id = s.contact_id and ${c}.tag_id = et.tag_id`,
              )} as contact_has
       from entity_tag et join session s on s.workspace_id = et.workspace_id and s.id = et.entity_id
       where et.workspace_id = ? and et.entity_type = 'session' and et.source_type = 'direct'
         and et.entity_id = any(?::text[]) and et.tag_id = any(?::text[])),
     fell as (
       update entity_tag et set source_type = 'inherited', source_entity_type = 'contact', source_entity_id = target.contact_id,
         applied_by_key_id = null
       from target where et.workspace_id = ? and et.id = target.id and target.contact_has
       returning 1),
     gone as (
       delete from entity_tag et using target where et.workspace_id = ? and et.id = target.id and not target.contact_has
       returning 1)
     select (select count(*) from fell)::int as fell_back, (select count(*) from gone)::int as deleted`,
    [workspaceId, textArray(sessionIds), textArray(tagIds), workspaceId, workspaceId],
  );
  return { fellBack: row?.fell_back ?? 0, deleted: row?.deleted ?? 0 };
}

/**
 * Untag contacts: deletes the contacts' rows of the tag, whatever their source (a row from
 * `propagateToContact` is the contact's own). Returns the contacts that had one. What their
 * sessions inherited goes with `unpropagate`.
 */
export async function deleteContactRows(
  em: EntityManager,
  workspaceId: number,
  contactIds: readonly string[],
  tagId: string,
): Promise<string[]> {
  if (contactIds.length === 0) return [];
  const rows = await em.execute<{ entity_id: string }[]>(
    `delete from entity_tag where workspace_id = ? and entity_type = 'contact' and tag_id = ? and entity_id = any(?::text[])
     returning entity_id`,
    [workspaceId, tagId, textArray(contactIds)],
  );
  return rows.map((row) => row.entity_id);
}

/** `propagateFromContacts`' statement (parameters: tag id, workspace id, contact ids). */
export const propagateFromContactsSql = `with made as (
       insert into entity_tag (workspace_id, id, entity_type, entity_id, tag_id, source_type, source_entity_type, source_entity_id)
       select s.workspace_id, ${sqlNewId('etag')}, 'session', s.id, ?, 'inherited', 'contact', s.contact_id
       from session s
       where s.workspace_id = ? and s.contact_id = any(?::text[])
       on conflict (workspace_id, entity_type, entity_id, tag_id) do nothing
       returning 1)
     select count(*)::int as count from made`;

/**
 * Propagate from contacts. Rule 1 when contacts gain a tag: every session of theirs that has no
 * row of it inherits it (`inherited`, source (`contact`, C)); a session holding it directly keeps
 * its direct row. Returns how many sessions gained it. Callers hold the contacts' locks.
 */
export async function propagateFromContacts(
  em: EntityManager,
  workspaceId: number,
  contactIds: readonly string[],
  tagId: string,
): Promise<number> {
  if (contactIds.length === 0) return 0;
  const [row] = await executePrepared<{ count: number }>(em, 'propagate_from_contacts', propagateFromContactsSql, [
    tagId,
    workspaceId,
    textArray(contactIds),
  ]);
  return row?.count ?? 0;
}

/**
 * The same propagation for one background batch: the contact's next `batchSize` sessions after
 * `afterSessionId`, in id order (the job's cursor).
 */
export async function propagateFromContactBatch(
  em: EntityManager,
  workspaceId: number,
  contactId: string,
  tagId: string,
  afterSessionId: string | null,
  batchSize: number,
): Promise<{ examined: number; added: number; lastSessionId: string | null }> {
  const [row] = await em.execute<{ examined: number; added: number; last_session_id: string | null }[]>(
    `with batch as (
       select s.workspace_id, s.id, s.contact_id from session s
       where s.workspace_id = ? and s.contact_id = ? and s.id > ?
       order by s.id limit ?),
     made as (
       insert into entity_tag (workspace_id, id, entity_type, entity_id, tag_id, source_type, source_entity_type, source_entity_id)
       select b.workspace_id, ${sqlNewId('etag')}, 'session', b.id, ?, 'inherited', 'contact', b.contact_id from batch b
       on conflict (workspace_id, entity_type, entity_id, tag_id) do nothing
       returning 1)
     select (select count(*) from batch)::int as examined, (select count(*) from made)::int as added,
            (select max(id) from batch) as last_session_id`,
    [workspaceId, contactId, afterSessionId ?? '', batchSize, tagId],
  );
  return { examined: row?.examined ?? 0, added: row?.added ?? 0, lastSessionId: row?.last_session_id ?? null };
}

const inheritedFrom = `workspace_id = ? and source_entity_type = 'contact' and source_entity_id = any(?::text[])
  and tag_id = ? and entity_type = 'session' and source_type = 'inherited'`;

/**
 * Unpropagate. Rule 1 when contacts lose a tag: the rows their sessions inherited from them go;
 * direct rows stay. Returns how many went per contact (contacts that lost none are absent),
 * counted from the rows deleted: a row a session's direct tagging turned direct meanwhile (it
 * holds only the session's lock) is neither deleted nor counted. Callers hold the contacts' locks.
 */
export async function unpropagate(
  em: EntityManager,
  workspaceId: number,
  contactIds: readonly string[],
  tagId: string,
): Promise<Map<string, number>> {
  if (contactIds.length === 0) return new Map();
  const rows = await em.execute<{ contact_id: string; count: number }[]>(
    `with gone as (delete from entity_tag where ${inheritedFrom} returning source_entity_id)
     select source_entity_id as contact_id, count(*)::int as count from gone group by source_entity_id`,
    [workspaceId, textArray(contactIds), tagId],
  );
  return new Map(rows.map((row) => [row.contact_id, row.count]));
}

/**
 * The same for one batch: at most `limit` rows, picked by `ctid` (a TID scan). `picked` counts
 * the rows that matched when the statement began, `removed` those that went. They differ when a
 * picked row changed meanwhile: tagging a session directly turns its inherited row direct holding
 * only the session's lock (`makeSessionTagDirect`), and the delete skips the new version, rightly.
 * Whether rows are left is therefore `picked` reaching the limit, never `removed` (stress-test
 * finding, session 19: an untag that removed 3 of 4 picked rows took itself for complete and left
 * two sessions inheriting a tag their contact no longer had).
 */
export async function unpropagateBatch(
  em: EntityManager,
  workspaceId: number,
  contactId: string,
  tagId: string,
  limit: number,
): Promise<{ picked: number; removed: number }> {
  const [row] = await em.execute<{ picked: number; removed: number }[]>(
    `with picked as materialized (select ctid from entity_tag where ${inheritedFrom} limit ?),
     gone as (delete from entity_tag where ctid = any(array(select ctid from picked)) returning 1)
     select (select count(*) from picked)::int as picked, (select count(*) from gone)::int as removed`,
    [workspaceId, textArray([contactId]), tagId, limit],
  );
  return { picked: row?.picked ?? 0, removed: row?.removed ?? 0 };
}

export type InheritanceChange = { added: number; removed: number };

/**
 * Recompute. Brings the inherited rows of the sessions in line with rules 1–3 whatever they
 * were: drops every inherited row that the session's current contact does not justify (an
 * unlinked session, another contact, a tag the contact lacks), then adds the missing ones.
 * Direct rows are never touched. Two statements for any number of sessions. Callers hold the
 * sessions' and their contacts' locks, and key-share locks on the contacts' tags
 * (`lockTagsOfSessionContacts`).
 */
export async function recomputeInherited(
  em: EntityManager,
  workspaceId: number,
  sessionIds: readonly string[],
): Promise<InheritanceChange> {
  if (sessionIds.length === 0) return { added: 0, removed: 0 };
  const ids = textArray(sessionIds);
  const [removed] = await em.execute<{ count: number }[]>(
    `with gone as (
       delete from entity_tag et
       using session s
       where et.workspace_id = ? and et.entity_type = 'session' and et.entity_id = any(?::text[])
         and et.source_type = 'inherited'
         and s.workspace_id = et.workspace_id and s.id = et.entity_id
         and not (
           s.contact_id is not null
           and et.source_entity_type = 'contact' and et.source_entity_id = s.contact_id
           and ${tagRowExists(
             (ct) => `${ct}.workspace_id = et.workspace_id and ${ct}.entity_type = 'contact'
                       and ${ct}.entity_id = s.contact_id and ${ct}.tag_id = et.tag_id`,
           )})
       returning 1)
     select count(*)::int as count from gone`,
    [workspaceId, ids],
  );
  const [added] = await em.execute<{ count: number }[]>(
    `with made as (
       insert into entity_tag (workspace_id, id, entity_type, entity_id, tag_id, source_type, source_entity_type, source_entity_id)
       select s.workspace_id, ${sqlNewId('etag')}, 'session', s.id, ct.tag_id, 'inherited', 'contact', s.contact_id
       from session s
       join entity_tag ct on ct.workspace_id = s.workspace_id and ct.entity_type = 'contact' and ct.entity_id = s.contact_id
       where s.workspace_id = ? and s.id = any(?::text[])
       on conflict (workspace_id, entity_type, entity_id, tag_id) do nothing
       returning 1)
     select count(*)::int as count from made`,
    [workspaceId, ids],
  );
  return { added: added?.count ?? 0, removed: removed?.count ?? 0 };
}

/**
 * Contact delete: the contact's rows go, and so do the rows its sessions inherited from it (the
 * sessions stay, unlinked by the caller, keeping their direct rows). Callers hold the sessions'
 * and the contact's locks.
 */
export async function deleteRowsOfContact(em: EntityManager, workspaceId: number, contactId: string): Promise<void> {
  await em.execute(
    `with inherited as (
       delete from entity_tag where workspace_id = ? and entity_type = 'session' and source_type = 'inherited'
         and source_entity_type = 'contact' and source_entity_id = ?
       returning 1),
     own as (delete from entity_tag where workspace_id = ? and entity_type = 'contact' and entity_id = ? returning 1)
     select (select count(*) from inherited)::int + (select count(*) from own)::int as count`,
    [workspaceId, contactId, workspaceId, contactId],
  );
}

/**
 * Session delete: its rows go. A contact row that came from it (`propagateToContact`) is the
 * contact's own and stays. Callers hold the session's and its contact's locks.
 */
export async function deleteRowsOfSession(em: EntityManager, workspaceId: number, sessionId: string): Promise<void> {
  await em.execute(`delete from entity_tag where workspace_id = ? and entity_type = 'session' and entity_id = ?`, [
    workspaceId,
    sessionId,
  ]);
}

/** Tag delete: every row of the tag goes, direct and inherited. Returns how many. Callers hold the tag's update lock. */
export async function deleteRowsOfTag(em: EntityManager, workspaceId: number, tagId: string): Promise<number> {
  const [row] = await em.execute<{ count: number }[]>(
    `with removed as (delete from entity_tag where workspace_id = ? and tag_id = ? returning 1)
     select count(*)::int as count from removed`,
    [workspaceId, tagId],
  );
  return row?.count ?? 0;
}

// ---- tag merge ---------------------------------------------------------------------------

/**
 * Which rows of the merged tags one batch of a background merge (`jobId`) moves: those of these
 * contacts and of all their sessions, or (once no contact has a merged tag) those of these
 * sessions.
 */
export type MergeBatchScope = { jobId: string } & (
  { contactIds: readonly string[] } | { sessionIds: readonly string[] }
);

/** What moving the rows of merged tags did (see `moveEntityTagsToTarget`). */
export type MovedEntityTags = {
  /** Rows of the merged tags that now carry the target tag (entities that lacked it). */
  moved: number;
  /**
   * Rows of the merged tags dropped: the entity keeps one row of the target instead, or (a
   * session's inherited row) its contact has neither a merged tag nor the target any more (an
   * untag whose background job had not reached the row yet).
   */
  collapsed: number;
};

/**
 * Moves every entity tag row of `sourceIds` to `targetId` in one statement: per entity one row
 * of the target is left, `direct` if any of its rows was direct (a direct row wins over an
 * inherited one, DESIGN.md rule 2), otherwise the target's own row, otherwise (a contact's rows
 * from sessions) the one from the session with the smallest id. The
 * inheritance rules hold afterwards because they held before: a session's inherited rows all
 * come from its contact, which gets the target wherever it had a merged tag. A session's
 * inherited row whose contact has neither a merged tag nor the target is not moved but dropped:
 * the contact was untagged and its job had not removed the row yet; moved, it became a row of the
 * target that the contact does not justify and that the untag's job no longer looked for (black-
 * box attack, session 19). Whichever of this statement and that job deletes such a row first,
 * neither writes a row of the target from it, so the contact's lock is not needed. The caller holds
 * the tags' locks, moves the merged tags' unfinished propagation jobs and deletes the merged tags.
 * `scope` limits the move to one batch's entities (`MergeBatchScope`); such a batch records a
 * `tag.merge_progressed` event naming them in the same statement, so that a replay of the feed
 * sees the move where it happened, not at the job's end (session 24: an entity untagged in
 * between got the target back in the replay).
 */
export async function moveEntityTagsToTarget(
  em: EntityManager,
  workspaceId: number,
  targetId: string,
  sourceIds: readonly string[],
  scope?: MergeBatchScope,
): Promise<MovedEntityTags> {
  if (sourceIds.length === 0) return { moved: 0, collapsed: 0 };
  // A background merge's batch (jobs/merge-tags-job.ts): a contact moves with its sessions'
  // rows in one statement, so the rules hold after every batch, not only after the last. The
  // batch's entities as a set joined on the (entity, tag) key: `entity_id = any(?)` over a
  // batch-sized array was a sequential scan testing every row against the whole array.
  const [scopeSql, scopeParams] =
    scope === undefined
      ? ['', []]
      : 'contactIds' in scope
        ? [
            `and (entity_type, entity_id) in (
               select 'contact', unnest(?::text[])
               union all
               select 'session', s.id from session s where s.workspace_id = ? and s.contact_id = any(?::text[]))`,
            [textArray(scope.contactIds), workspaceId, textArray(scope.contactIds)],
          ]
        : [`and (entity_type, entity_id) in (select 'session', unnest(?::text[]))`, [textArray(scope.sessionIds)]];
  // Taken out and put back in one statement (each keeps its id): an update in place would trip
  // the (entity, tag) unique key on the first entity holding two of the tags. `on conflict`
  // absorbs a target row that a concurrent tagging inserted meanwhile.
  const [counts] = await em.execute<{ source_rows: number; moved: number }[]>(
    `with taken as (
       delete from entity_tag where workspace_id = ? and tag_id = any(?::text[]) ${scopeSql}
       returning id, entity_type, entity_id, source_type, source_entity_type, source_entity_id, applied_by_key_id, created_at
     ), best as (
       select distinct on (entity_type, entity_id) * from taken
       order by entity_type, entity_id, source_type = 'direct' desc, source_entity_id collate "C", created_at, id
     ), written as (
       insert into entity_tag
         (workspace_id, id, entity_type, entity_id, tag_id, source_type, source_entity_type, source_entity_id, applied_by_key_id, created_at)
       select ?, id, entity_type, entity_id, ?, source_type, source_entity_type, source_entity_id, applied_by_key_id, created_at
       from best
       where not (best.entity_type = 'session' and best.source_type = 'inherited' and best.source_entity_type = 'contact'
                  and not exists (select 1 from entity_tag c
                                  where c.workspace_id = ? and c.entity_type = 'contact' and c.entity_id = best.source_entity_id
                                    and (c.tag_id = ? or c.tag_id = any(?::text[]))))
       on conflict (workspace_id, entity_type, entity_id, tag_id) do update
         set source_type = 'direct', source_entity_type = null, source_entity_id = null,
             applied_by_key_id = excluded.applied_by_key_id
         where excluded.source_type = 'direct' and entity_tag.source_type = 'inherited'
       -- A row the insert wrote has no xmax; one it updated has this transaction's.
       returning xmax = 0 as inserted
     )${scope === undefined ? '' : `, progressed as (${mergeProgressedEventsCte('taken')})`}
     select (select count(*) from taken)::int as source_rows,
            (select count(*) from written where inserted)::int as moved`,
    [
      workspaceId,
      textArray(sourceIds),
      ...scopeParams,
      workspaceId,
      targetId,
      workspaceId,
      targetId,
      textArray(sourceIds),
      ...(scope === undefined ? [] : [workspaceId, targetId, textArray(sourceIds), scope.jobId]),
    ],
  );
  const sourceRows = counts?.source_rows ?? 0;
  const moved = counts?.moved ?? 0;
  return { moved, collapsed: sourceRows - moved };
}
