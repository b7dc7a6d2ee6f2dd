import { readFileSync } from 'node:fs';
import type { Sql } from './db.ts';

/** CPU time a process has used so far, user + system, in seconds (Linux /proc, 100 ticks a second). */
export function processCpuSeconds(pid: number): number {
  // Fields 14 and 15 of /proc/<pid>/stat, counted after the parenthesised command name.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * The CPU time PostgreSQL spends for one database: the backends connected to it (found in
 * `pg_stat_activity` through `sql`, a connection to that database), sampled every `everyMs`
 * and summed as each one grows, so a backend that closes between samples loses at most one
 * interval. Needs the server on this machine and /proc access to its processes; `read()` is NaN
 * otherwise. Other databases' work (other users of a shared server) is not counted.
 */
export function sampleDatabaseCpu(sql: Sql, everyMs = 250): { read: () => number; stop: () => void } {
  const last = new Map<number, number>();
  let total = 0;
  let available = true;
  const sample = async () => {
    try {
      const { rows } = await sql.query<{ pid: number }>(
        'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
      );
      for (const { pid } of rows) {
        let now: number;
        try {
          now = processCpuSeconds(pid);
        } catch {
          continue; // gone since the query
        }
        total += now - (last.get(pid) ?? now);
        last.set(pid, now);
      }
    } catch {
      available = false;
    }
  };
  let running = sample();
  const timer = setInterval(() => {
    running = running.then(sample);
  }, everyMs);
  return {
    read: () => (available ? total : Number.NaN),
    stop: () => clearInterval(timer),
  };
}

/**
 * CPU time so far of each PostgreSQL backend connected to `sql`'s database (other than `sql`'s
 * own), in ms by pid: a snapshot to subtract with `databaseCpuMsSince`. A backend that ended
 * between the query and its /proc read is left out.
 */
export async function databaseBackendsCpuMs(sql: Sql): Promise<Map<number, number>> {
  const { rows } = await sql.query<{ pid: number }>(
    'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
  );
  const byPid = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      byPid.set(pid, processCpuSeconds(pid) * 1000);
    } catch {
      // the backend ended meanwhile
    }
  }
  return byPid;
}

/**
 * The database's backends' CPU (ms) since a `databaseBackendsCpuMs` snapshot: each backend
 * present now counts from its CPU then or, when it started since, from zero (one that ended
 * meanwhile is missed: pools keep busy connections open, so that is rare).
 */
export async function databaseCpuMsSince(sql: Sql, before: Map<number, number>): Promise<number> {
  let total = 0;
  for (const [pid, ms] of await databaseBackendsCpuMs(sql)) total += ms - (before.get(pid) ?? 0);
  return total;
}
