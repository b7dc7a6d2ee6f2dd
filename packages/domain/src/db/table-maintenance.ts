import type { Database } from './database.ts';
import { executePrepared } from './prepared-statements.ts';
import { textArray } from './sql-values.ts';

/**
 * The tables whose statistics the tag filters' plans depend on (`filters/tag-filter-sql.ts`):
 * their sizes and the spread of their tags.
 */
const plannedTables = ['contact', 'session', 'entity_tag', 'tag'] as const;

/**
 * The queue tables: rows rewritten or deleted many times a second under load (a delivery is
 * written three times, an event twice, a sequence counter on every pass). Their claims walk small
 * partial indexes (`webhook_delivery_in_flight_idx`, `webhook_delivery_due_idx`, the unnumbered
 * events), and every dead row version left there is stepped over by every claim until a vacuum.
 */
export const queueTables = [
  'event',
  'event_sequence',
  'webhook_delivery',
  'webhook_attempt',
  'propagation_job',
  'contact_export',
  'contact_export_chunk',
  'idempotency_key',
] as const;

/**
 * When a queue table is vacuumed: once its dead row versions pass this many plus this share of its
 * live rows. The same numbers are the queue tables' autovacuum storage parameters (migration
 * `Migration20261201090000_queue_vacuum`), so a server's autovacuum and the worker keep them alike.
 */
export const queueVacuumThreshold = 1000;
export const queueVacuumScaleFactor = 0.1;

/** A queue table's vacuum; `skip_locked`: a table another process is vacuuming is left to it. */
const vacuumSql = (table: string, analyze: boolean) => `vacuum (${analyze ? 'analyze, ' : ''}skip_locked) ${table}`;

/**
 * Vacuums one queue table now, whatever its dead rows (the event worker's vacuum when it falls
 * idle, `startEventWorker`). Not in a transaction: PostgreSQL refuses a vacuum inside one.
 */
export async function vacuumQueueTable(db: Database, table: (typeof queueTables)[number]): Promise<void> {
  await db.fork().execute(vacuumSql(table, false));
}

/** What one maintenance pass did: the tables analyzed, and the queue tables vacuumed. */
export type TableMaintenance = { analyzed: string[]; vacuumed: string[] };

/**
 * Does autovacuum's work for the service's tables when nothing else does: on a PostgreSQL server
 * whose autovacuum is off, and on embedded PGlite (single-user, no autovacuum). Where an
 * autovacuum launcher runs it does nothing (docs/OPERATIONS.md, "Statistics and vacuum").
 *
 * - A planned or queue table is analyzed when it was never analyzed or has grown by more than a
 *   fifth since its last analyze (`pg_class.relpages`, set by ANALYZE, against its current size).
 *   Without statistics PostgreSQL costs a never-analyzed table at a few rows, and a tag filter's
 *   anti join rescans the excluded tag's rows once per contact: an export of 60,000 freshly
 *   imported contacts with an excluded tag timed out after 3 attempts (attack finding, session 7).
 * - A queue table is vacuumed once its dead rows pass the threshold above. Without
 *   it, after 22,000 deliveries a claim read the whole delivery table (no statistics) or stepped
 *   over every dead entry of the in-flight index: 15 ms per claim, more PostgreSQL time than the
 *   tagging requests that made the deliveries (issue 17, bench/RESULTS.md).
 *
 * `skip_locked`: a table another process is vacuuming is left to it.
 */
export async function maintainTables(db: Database): Promise<TableMaintenance> {
  const em = db.fork();
  // Prepared, and on the statistics functions rather than the `pg_stat_user_tables` view (which
  // sums every index's scans) and `pg_stat_activity` (every backend's state): the text statement
  // was planned on each pass, 6 ms of planning and 5 of execution every 2 seconds in every
  // process, the largest share of an idle service's PostgreSQL time (docs/PERFORMANCE-HISTORY.md,
  // twelfth round). A server runs an autovacuum launcher exactly when `autovacuum` and
  // `track_counts` are on; PGlite, single-user, never does.
  const due = await executePrepared<{ relname: string; vacuum: boolean; stale: boolean }>(
    em,
    'tables_to_maintain',
    `select relname, vacuum, stale from (
       select c.relname,
              c.relname = any(?::text[])
                and pg_stat_get_dead_tuples(c.oid) >= ?::int + ?::float8 * greatest(c.reltuples, pg_stat_get_live_tuples(c.oid)) as vacuum,
              pg_relation_size(c.oid) / current_setting('block_size')::int >= 8
                and (c.reltuples < 0 or pg_relation_size(c.oid) / current_setting('block_size')::int > c.relpages * 1.2) as stale
       from pg_class c
       where c.relnamespace = current_schema()::regnamespace and c.relkind = 'r' and c.relname = any(?::text[])
         and not (?::boolean and current_setting('autovacuum')::boolean and current_setting('track_counts')::boolean)) t
     where vacuum or stale
     order by relname`,
    [
      textArray(queueTables),
      queueVacuumThreshold,
      queueVacuumScaleFactor,
      textArray([...plannedTables, ...queueTables]),
      db.target.kind === 'postgres',
    ],
  );
  // One statement per table: names from the fixed lists above, never from input. An analyze
  // reads a sample of the rows (220 ms for the event table's 57,000, against 150 ms for its
  // vacuum): only when the table has grown, not with every vacuum.
  for (const { relname, vacuum, stale } of due)
    await em.execute(vacuum ? vacuumSql(relname, stale) : `analyze ${relname}`);
  return {
    analyzed: due.filter((row) => row.stale).map((row) => row.relname),
    vacuumed: due.filter((row) => row.vacuum).map((row) => row.relname),
  };
}
