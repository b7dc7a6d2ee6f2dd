import type { EntityManager } from '../src/db/database.ts';

/** The tables whose statistics a freshly grown workspace may not have yet. */
const tables = ['entity_tag', 'session', 'contact'];

/**
 * Puts `entity_tag`, `session` and `contact` back as before their first analyze: no column
 * statistics and sizes the planner must guess (`reltuples = -1`). Tests that read a plan without
 * statistics use it, as the worker's table maintenance may not have run yet in production
 * (docs/DECISIONS.md, "Plans that do not depend on statistics"). In a transaction, rolling back
 * restores them.
 */
export async function stripStatistics(em: EntityManager): Promise<void> {
  const oids = tables.map((table) => `'${table}'::regclass`).join(', ');
  await em.execute(`delete from pg_statistic where starelid in (${oids})`);
  await em.execute(`update pg_class set reltuples = -1, relpages = 0 where oid in (${oids})`);
}
