import { Migration } from '@mikro-orm/migrations';

export class Migration20261123110401_init extends Migration {
  override name = 'Migration20261123110401_init';

  override up(): void | Promise<void> {
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
      `create table "tag" ("workspace_id" int not null, "id" text not null, "name" text not null, "color" text null, "emoji" text null, "type" text not null default 'common', "order" int not null, "description" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("workspace_id", "id"));`,
    );

    this.addSql(
      `create table "workspace" ("id" serial primary key, "name" text not null, "created_at" timestamptz not null default now());`,
    );

    this.addSql(
      `alter table "entity_tag" add constraint "entity_tag_entity_type_check" check ("entity_type" in ('contact', 'session'));`,
    );
    this.addSql(
      `alter table "entity_tag" add constraint "entity_tag_source_type_check" check ("source_type" in ('direct', 'inherited'));`,
    );
    this.addSql(
      `alter table "entity_tag" add constraint "entity_tag_source_entity_type_check" check ("source_entity_type" in ('contact', 'session'));`,
    );

    this.addSql(
      `alter table "tag" add constraint "tag_type_check" check ("type" in ('common', 'client', 'message', 'conversation', 'clientStage', 'convStage'));`,
    );

    // Written by hand (the entities declare no relations, so the generator knows none of these).
    // Tenancy by construction: every foreign key leads with workspace_id.
    this.addSql(
      `alter table "tag" add constraint "tag_workspace_fk" foreign key ("workspace_id") references "workspace" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "entity_tag" add constraint "entity_tag_tag_fk" foreign key ("workspace_id", "tag_id") references "tag" ("workspace_id", "id") on delete cascade;`,
    );
    // Names are unique per workspace ignoring case; text_pattern_ops lets the same index serve
    // the case-insensitive prefix search (lower(name) like 'pre%') whatever the collation.
    this.addSql(`create unique index "tag_name_uq" on "tag" ("workspace_id", lower("name") text_pattern_ops);`);
    this.addSql(`create index "tag_order_idx" on "tag" ("workspace_id", "order", "id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "entity_tag" cascade;`);
    this.addSql(`drop table if exists "tag" cascade;`);
    this.addSql(`drop table if exists "workspace" cascade;`);
  }
}
