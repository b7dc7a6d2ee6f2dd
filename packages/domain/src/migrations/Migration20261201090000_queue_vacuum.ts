import { Migration } from '@mikro-orm/migrations';

/**
 * Queue tables vacuumed as often as their claims need (issue 17, docs/OPERATIONS.md "Statistics
 * and vacuum"): autovacuum's default waits for a fifth of a table to be dead, which on a week of
 * deliveries is hundreds of thousands of dead entries stepped over by every claim. These are the
 * numbers `maintainTables` uses where no autovacuum runs (`queueVacuumThreshold`,
 * `queueVacuumScaleFactor` in db/table-maintenance.ts). The list is this migration's own copy of
 * `queueTables`, frozen: a migration runs on the schema of its time, so a queue table added later
 * gets its parameters in its own migration, not here.
 */
const queueTables = [
  'event',
  'event_sequence',
  'webhook_delivery',
  'webhook_attempt',
  'propagation_job',
  'contact_export',
  'contact_export_chunk',
  'idempotency_key',
];

export class Migration20261201090000_queue_vacuum extends Migration {
  override name = 'Migration20261201090000_queue_vacuum';

  override up(): void | Promise<void> {
    for (const table of queueTables)
      this.addSql(
        `alter table "${table}" set (autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_scale_factor = 0.1);`,
      );
  }

  override down(): void | Promise<void> {
    for (const table of queueTables)
      this.addSql(`alter table "${table}" reset (autovacuum_vacuum_threshold, autovacuum_vacuum_scale_factor);`);
  }
}
