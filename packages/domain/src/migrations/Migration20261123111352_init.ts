import { Migration } from '@mikro-orm/migrations';
import { entityTypes, sourceTypes, tagTypes } from '@tagging/contracts';
import { sqlStringList } from '../db/sql-values.ts';

export class Migration20261123111352_init extends Migration {
  override name = 'Migration20261123111352_init';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "workspace" ("id" serial primary key, "name" text not null, "created_at" timestamptz not null default now());`,
    );

    this.addSql(
      `create table "tag" ("workspace_id" int not null, "id" text not null, "name" text not null, "color" text null, "emoji" text null, "type" text not null default 'common', "order" int not null, "description" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("workspace_id", "id"));`,
    );
    this.addSql(`create index "tag_order_idx" on "tag" ("workspace_id", "order", "id");`);
    this.addSql(`create unique index "tag_name_uq" on public.tag ("workspace_id", lower("name") text_pattern_ops);`);

    this.addSql(
      `create table "entity_tag" ("workspace_id" int not null, "id" text not null, "entity_type" text not null, "entity_id" text not null, "tag_id" text not null, "source_type" text not null, "source_entity_type" text null, "source_entity_id" text null, "created_at" timestamptz not null default now(), primary key ("workspace_id", "id"));`,
    );
    this.addSql(
      `create index "entity_tag_tag_idx" on "entity_tag" ("workspace_id", "tag_id", "entity_type", "source_type");`,
    );
    this.addSql(
      `create index "entity_tag_source_idx" on "entity_tag" ("workspace_id", "source_entity_type", "source_entity_id");`,
    );
    this.addSql(
      `alter table "entity_tag" add constraint "entity_tag_entity_tag_uq" unique ("workspace_id", "entity_type", "entity_id", "tag_id");`,
    );

    this.addSql(
      `create table "contact" ("workspace_id" int not null, "id" text not null, "name" text not null default '', "external_id" text null, "metadata" jsonb not null default '{}', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("workspace_id", "id"));`,
    );
    this.addSql(
      `alter table "contact" add constraint "contact_external_id_uq" unique ("workspace_id", "external_id");`,
    );

    this.addSql(
      `create table "session" ("workspace_id" int not null, "id" text not null, "name" text not null default '', "contact_id" text null, "external_id" text null, "metadata" jsonb not null default '{}', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("workspace_id", "id"));`,
    );
    this.addSql(`create index "session_contact_idx" on "session" ("workspace_id", "contact_id");`);
    this.addSql(
      `alter table "session" add constraint "session_external_id_uq" unique ("workspace_id", "external_id");`,
    );

    this.addSql(
      `create table "api_key" ("workspace_id" int not null, "id" text not null, "name" text not null, "hint" text not null, "secret_hash" text not null, "created_at" timestamptz not null default now(), "revoked_at" timestamptz null, primary key ("workspace_id", "id"));`,
    );
    this.addSql(`alter table "api_key" add constraint "api_key_secret_hash_uq" unique ("secret_hash");`);

    this.addSql(
      `alter table "tag" add constraint "tag_workspace_id_foreign" foreign key ("workspace_id") references "workspace" ("id") on delete cascade;`,
    );
    this.addSql(`alter table "tag" add constraint "tag_type_check" check ("type" in (${sqlStringList(tagTypes)}));`);

    this.addSql(
      `alter table "entity_tag" add constraint "entity_tag_workspace_id_foreign" foreign key ("workspace_id") references "workspace" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "entity_tag" add constraint "entity_tag_workspace_id_tag_id_foreign" foreign key ("workspace_id", "tag_id") references "tag" ("workspace_id", "id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "entity_tag" add constraint "entity_tag_entity_type_check" check ("entity_type" in (${sqlStringList(entityTypes)}));`,
    );
    this.addSql(
      `alter table "entity_tag" add constraint "entity_tag_source_type_check" check ("source_type" in (${sqlStringList(sourceTypes)}));`,
    );
    this.addSql(
      `alter table "entity_tag" add constraint "entity_tag_source_entity_type_check" check ("source_entity_type" in (${sqlStringList(entityTypes)}));`,
    );

    this.addSql(
      `alter table "contact" add constraint "contact_workspace_id_foreign" foreign key ("workspace_id") references "workspace" ("id") on delete cascade;`,
    );

    this.addSql(
      `alter table "session" add constraint "session_workspace_id_foreign" foreign key ("workspace_id") references "workspace" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "session" add constraint "session_workspace_id_contact_id_foreign" foreign key ("workspace_id", "contact_id") references "contact" ("workspace_id", "id") on update cascade on delete no action;`,
    );

    this.addSql(
      `alter table "api_key" add constraint "api_key_workspace_id_foreign" foreign key ("workspace_id") references "workspace" ("id") on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "tag" drop constraint "tag_workspace_id_foreign";`);
    this.addSql(`alter table "entity_tag" drop constraint "entity_tag_workspace_id_foreign";`);
    this.addSql(`alter table "contact" drop constraint "contact_workspace_id_foreign";`);
    this.addSql(`alter table "session" drop constraint "session_workspace_id_foreign";`);
    this.addSql(`alter table "api_key" drop constraint "api_key_workspace_id_foreign";`);
    this.addSql(`alter table "entity_tag" drop constraint "entity_tag_workspace_id_tag_id_foreign";`);
    this.addSql(`alter table "session" drop constraint "session_workspace_id_contact_id_foreign";`);

    this.addSql(`drop table if exists "workspace" cascade;`);
    this.addSql(`drop table if exists "tag" cascade;`);
    this.addSql(`drop table if exists "entity_tag" cascade;`);
    this.addSql(`drop table if exists "contact" cascade;`);
    this.addSql(`drop table if exists "session" cascade;`);
    this.addSql(`drop table if exists "api_key" cascade;`);
  }
}
