import type { Database } from '../db/database.ts';
import { executePrepared } from '../db/prepared-statements.ts';
import { sqlNewId } from '../db/sql-ids.ts';
import { inTransaction } from '../db/transaction.ts';

/**
 * The sequencer (issue 17): numbers committed events per workspace, and in the same transaction
 * queues one webhook delivery per event and matching enabled endpoint.
 *
 * Why after commit, not in the writer's transaction: a number taken inside the writer's
 * transaction (a sequence, or a counter row) becomes visible in commit order, not in number
 * order, so a reader paging `seq > cursor` could pass a number whose transaction commits later
 * and skip it for ever; a counter row held to commit avoids that only by making every writer of a
 * workspace wait for the previous one's commit. Here writers never wait for each other: they
 * insert unnumbered rows. One sequencer at a time (a transaction-scoped advisory lock, taken in a
 * statement of its own so that the numbering statement's snapshot sees the previous run's commit)
 * numbers what has committed since, after the last number it gave in each workspace. A number is
 * therefore visible only with every smaller number of its workspace, and a cursor reader never
 * skips a committed event. Every API process runs it; a process that finds the lock taken skips.
 */

/** The advisory lock key of the sequencer (any constant the service uses for nothing else). */
const sequencerLockKey = 1_701_170_017;

/**
 * Whether any committed event waits for its number: one statement outside a transaction, on the
 * partial index of unnumbered events, in the sequencer's order (so it stops at the first entry
 * that is alive). The event worker asks it after a pass that numbered nothing, instead of opening
 * the sequencer's transaction (five statements) twenty times a second in every process while no
 * event is written (issue 20; docs/PERFORMANCE.md).
 */
export async function hasUnnumberedEvents(db: Database): Promise<boolean> {
  // Prepared: sent as text it was planned on each of its twenty calls a second.
  const [row] = await executePrepared<{ id: string }>(
    db.fork(),
    'has_unnumbered_events',
    'select id from event where seq is null order by occurred_at, id limit 1',
    [],
  );
  return row !== undefined;
}

/**
 * Numbers up to `limit` committed, unnumbered events (oldest first, by the clock at their insert)
 * and queues their webhook deliveries. Returns how many were numbered, or 0 when another process
 * is sequencing.
 */
export async function sequenceEvents(db: Database, limit = 5000): Promise<number> {
  return inTransaction(db.fork(), async (em) => {
    const [lock] = await em.execute<{ locked: boolean }[]>('select pg_try_advisory_xact_lock(?) as locked', [
      sequencerLockKey,
    ]);
    if (!lock?.locked) return 0;
    // Every event numbered leaves a dead entry in the partial index of unnumbered events until
    // a vacuum. A bitmap scan (the planner's choice when it expects few pending rows) visits
    // each dead entry's heap row on every pass, 20 passes a second: 40 ms per pass after 185,000
    // events, a quarter of a core with the service idle (issue 20). An index scan in order stops
    // at the limit and marks the entries it finds dead, so the next pass steps over them.
    await em.execute('set local enable_bitmapscan = off');
    const [row] = await em.execute<{ numbered: number }[]>(
      `with pending as (
         select workspace_id, id, type, occurred_at from event where seq is null order by occurred_at, id limit ?),
       numbered as (
         select p.workspace_id, p.id, p.type,
                coalesce(s.last_seq, 0) + row_number() over (partition by p.workspace_id order by p.occurred_at, p.id) as seq
         from pending p left join event_sequence s on s.workspace_id = p.workspace_id),
       written as (
         update event e set seq = n.seq from numbered n
         where e.workspace_id = n.workspace_id and e.id = n.id
         returning e.workspace_id, e.id, e.type),
       counters as (
         insert into event_sequence (workspace_id, last_seq)
         select workspace_id, max(seq) from numbered group by workspace_id
         on conflict (workspace_id) do update set last_seq = excluded.last_seq),
       deliveries as (
         insert into webhook_delivery (workspace_id, id, endpoint_id, event_id, event_type)
         select w.workspace_id, ${sqlNewId('whdl')}, ep.id, w.id, w.type
         from written w join webhook_endpoint ep on ep.workspace_id = w.workspace_id
         where ep.disabled_at is null and (cardinality(ep.event_types) = 0 or w.type = any(ep.event_types)))
       select count(*)::int as numbered from written`,
      [limit],
    );
    return row?.numbered ?? 0;
  });
}
