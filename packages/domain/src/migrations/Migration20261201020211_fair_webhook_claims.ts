import { Migration } from '@mikro-orm/migrations';

/**
 * Fair webhook claims (issue 17, docs/DECISIONS.md "Fair webhook claims"): the claim walks each
 * enabled endpoint's due deliveries (`webhook_delivery_due_idx`, replacing the global
 * `next_attempt_at` index) and counts the attempts it has in flight against the per-endpoint cap
 * (`webhook_delivery_in_flight_idx`: only claimed rows, a few per endpoint).
 */
export class Migration20261201020211_fair_webhook_claims extends Migration {
  override name = 'Migration20261201020211_fair_webhook_claims';

  override up(): void | Promise<void> {
    this.addSql(`drop index "webhook_delivery_claim_idx";`);
    this.addSql(
      `create index "webhook_delivery_due_idx" on "webhook_delivery" ("workspace_id", "endpoint_id", "next_attempt_at") where status = 'pending';`,
    );
    this.addSql(
      `create index "webhook_delivery_in_flight_idx" on "webhook_delivery" ("workspace_id", "endpoint_id", "next_attempt_at") where claim_id is not null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "webhook_delivery_due_idx";`);
    this.addSql(`drop index "webhook_delivery_in_flight_idx";`);
    this.addSql(
      `create index "webhook_delivery_claim_idx" on "webhook_delivery" ("next_attempt_at") where status = 'pending';`,
    );
  }
}
