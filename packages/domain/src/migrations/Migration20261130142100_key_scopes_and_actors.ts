import { Migration } from '@mikro-orm/migrations';

/**
 * API key scopes, expiry and last use (existing keys become `admin`: they could do everything
 * before), and who did it: the key that applied each entity tag and that created and last changed
 * each tag. Every new column is nullable or has a default, so the change is a catalog update only.
 */
export class Migration20261130142100_key_scopes_and_actors extends Migration {
  override name = 'Migration20261130142100_key_scopes_and_actors';

  override up(): void | Promise<void> {
    this.addSql(
      `alter table "api_key" add "scope" text not null default 'admin', add "expires_at" timestamptz null, add "last_used_at" timestamptz null;`,
    );
    this.addSql(
      `alter table "api_key" add constraint "api_key_scope_check" check ("scope" in ('read', 'write', 'admin'));`,
    );
    this.addSql(`alter table "entity_tag" add "applied_by_key_id" text null;`);
    this.addSql(`alter table "tag" add "created_by_key_id" text null, add "updated_by_key_id" text null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "tag" drop column "created_by_key_id", drop column "updated_by_key_id";`);
    this.addSql(`alter table "entity_tag" drop column "applied_by_key_id";`);
    this.addSql(`alter table "api_key" drop column "scope", drop column "expires_at", drop column "last_used_at";`);
  }
}
