import { Migration } from '@mikro-orm/migrations';

/**
 * A delivery's successful attempt kept on the delivery row (issue 17, docs/DECISIONS.md): no
 * `webhook_attempt` row for a success. Failed attempts are still rows of their own.
 */
export class Migration20261201111918_delivered_attempt extends Migration {
  override name = 'Migration20261201111918_delivered_attempt';

  override up(): void | Promise<void> {
    this.addSql(
      `alter table "webhook_delivery" add "delivered_latency_ms" int null, add "delivered_response_body" text null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(
      `alter table "webhook_delivery" drop column "delivered_latency_ms", drop column "delivered_response_body";`,
    );
  }
}
