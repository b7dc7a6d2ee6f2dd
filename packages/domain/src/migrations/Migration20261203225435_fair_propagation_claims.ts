import { Migration } from '@mikro-orm/migrations';

/**
 * Fair propagation claims (session 26, as for exports): `claimJob` reads when each workspace with
 * a job due was last served, the newest `updated_at` of its started jobs, by one backward probe
 * of this index.
 */
export class Migration20261203225435_fair_propagation_claims extends Migration {
  override name = 'Migration20261203225435_fair_propagation_claims';

  override up(): void | Promise<void> {
    this.addSql(
      `create index "propagation_job_served_idx" on "propagation_job" ("workspace_id", "updated_at") where status <> 'pending';`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "propagation_job_served_idx";`);
  }
}
