import { Migration } from '@mikro-orm/migrations';

export class Migration20261130141020_idempotency_keys extends Migration {
  override name = 'Migration20261130141020_idempotency_keys';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "idempotency_key" ("workspace_id" int not null, "api_key_id" text not null, "key" text not null, "fingerprint" text not null, "claim" text null, "status" int null, "headers" jsonb null, "body" text null, "created_at" timestamptz not null default now(), "expires_at" timestamptz not null, primary key ("workspace_id", "api_key_id", "key"));`,
    );
    this.addSql(`create index "idempotency_key_expires_idx" on "idempotency_key" ("expires_at");`);

    this.addSql(
      `alter table "idempotency_key" add constraint "idempotency_key_workspace_id_foreign" foreign key ("workspace_id") references "workspace" ("id") on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "idempotency_key" cascade;`);
  }
}
