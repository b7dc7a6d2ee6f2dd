import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 17: the change-event outbox (`event`, sequenced per workspace after commit through
 * `event_sequence`), webhook endpoints, their deliveries and every delivery attempt.
 */
export class Migration20261130141014_change_events extends Migration {
  override name = 'Migration20261130141014_change_events';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "event" ("workspace_id" int not null, "id" text not null, "seq" bigint null, "type" text not null, "payload" jsonb not null, "occurred_at" timestamptz not null default now(), primary key ("workspace_id", "id"));`,
    );
    // The feed and the subscriptions page by (workspace, seq); the sequencer walks the events not
    // yet numbered in id (time) order; retention deletes by age.
    this.addSql(`create unique index "event_seq_uq" on "event" ("workspace_id", "seq");`);
    this.addSql(`create index "event_unsequenced_idx" on "event" ("occurred_at", "id") where "seq" is null;`);
    this.addSql(`create index "event_occurred_at_idx" on "event" ("occurred_at");`);
    this.addSql(
      `alter table "event" add constraint "event_workspace_id_foreign" foreign key ("workspace_id") references "workspace" ("id") on delete cascade;`,
    );
    this.addSql(
      `create table "event_sequence" ("workspace_id" int not null, "last_seq" bigint not null, primary key ("workspace_id"));`,
    );
    this.addSql(
      `alter table "event_sequence" add constraint "event_sequence_workspace_id_foreign" foreign key ("workspace_id") references "workspace" ("id") on delete cascade;`,
    );

    this.addSql(
      `create table "webhook_endpoint" ("workspace_id" int not null, "id" text not null, "url" text not null, "description" text null, "event_types" text[] not null default '{}', "secret" text not null, "previous_secret" text null, "previous_secret_expires_at" timestamptz null, "disabled_at" timestamptz null, "disabled_reason" text null, "failing_since" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("workspace_id", "id"));`,
    );
    this.addSql(
      `alter table "webhook_endpoint" add constraint "webhook_endpoint_workspace_id_foreign" foreign key ("workspace_id") references "workspace" ("id") on delete cascade;`,
    );
    this.addSql(
      `create table "webhook_delivery" ("workspace_id" int not null, "id" text not null, "endpoint_id" text not null, "event_id" text not null, "event_type" text not null, "payload" jsonb null, "status" text not null default 'pending', "attempts" int not null default 0, "next_attempt_at" timestamptz not null default now(), "claim_id" text null, "last_status_code" int null, "last_error" text null, "delivered_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("workspace_id", "id"));`,
    );
    this.addSql(
      `alter table "webhook_delivery" add constraint "webhook_delivery_endpoint_foreign" foreign key ("workspace_id", "endpoint_id") references "webhook_endpoint" ("workspace_id", "id") on delete cascade;`,
    );
    this.addSql(
      `alter table "webhook_delivery" add constraint "webhook_delivery_status_check" check ("status" in ('pending', 'succeeded', 'failed'));`,
    );
    // The claim walks due pending deliveries by time; an endpoint's list by newest first.
    this.addSql(
      `create index "webhook_delivery_claim_idx" on "webhook_delivery" ("next_attempt_at") where "status" = 'pending';`,
    );
    this.addSql(
      `create index "webhook_delivery_endpoint_idx" on "webhook_delivery" ("workspace_id", "endpoint_id", "id");`,
    );
    this.addSql(
      `create index "webhook_delivery_updated_idx" on "webhook_delivery" ("updated_at") where "status" <> 'pending';`,
    );
    this.addSql(
      `create table "webhook_attempt" ("workspace_id" int not null, "id" text not null, "delivery_id" text not null, "attempted_at" timestamptz not null default now(), "status_code" int null, "latency_ms" int not null, "response_body" text null, "error" text null, primary key ("workspace_id", "id"));`,
    );
    this.addSql(
      `alter table "webhook_attempt" add constraint "webhook_attempt_delivery_foreign" foreign key ("workspace_id", "delivery_id") references "webhook_delivery" ("workspace_id", "id") on delete cascade;`,
    );
    this.addSql(
      `create index "webhook_attempt_delivery_idx" on "webhook_attempt" ("workspace_id", "delivery_id", "attempted_at");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "webhook_attempt" cascade;`);
    this.addSql(`drop table if exists "webhook_delivery" cascade;`);
    this.addSql(`drop table if exists "webhook_endpoint" cascade;`);
    this.addSql(`drop table if exists "event_sequence" cascade;`);
    this.addSql(`drop table if exists "event" cascade;`);
  }
}
