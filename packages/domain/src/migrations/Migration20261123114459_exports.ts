import { Migration } from '@mikro-orm/migrations';
import { exportFormats, jobStatuses } from '@tagging/contracts';
import { sqlStringList } from '../db/sql-values.ts';

export class Migration20261123114459_exports extends Migration {
  override name = 'Migration20261123114459_exports';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "contact_export" ("workspace_id" int not null, "id" text not null, "format" text not null, "criteria" jsonb not null, "status" text not null default 'pending', "cursor" text null, "total_rows" int null, "rows_written" int not null default 0, "bytes_written" bigint not null default '0', "chunks" int not null default 0, "attempts" int not null default 0, "error" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "completed_at" timestamptz null, primary key ("workspace_id", "id"));`,
    );
    this.addSql(`create index "contact_export_status_idx" on "contact_export" ("status", "updated_at");`);

    this.addSql(
      `create table "contact_export_chunk" ("workspace_id" int not null, "export_id" text not null, "seq" int not null, "data" text not null, primary key ("workspace_id", "export_id", "seq"));`,
    );

    this.addSql(
      `alter table "contact_export" add constraint "contact_export_workspace_id_foreign" foreign key ("workspace_id") references "workspace" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "contact_export" add constraint "contact_export_format_check" check ("format" in (${sqlStringList(exportFormats)}));`,
    );
    this.addSql(
      `alter table "contact_export" add constraint "contact_export_status_check" check ("status" in (${sqlStringList(jobStatuses)}));`,
    );

    this.addSql(
      `alter table "contact_export_chunk" add constraint "contact_export_chunk_workspace_id_export_id_foreign" foreign key ("workspace_id", "export_id") references "contact_export" ("workspace_id", "id") on update cascade on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(
      `alter table "contact_export_chunk" drop constraint "contact_export_chunk_workspace_id_export_id_foreign";`,
    );

    this.addSql(`drop table if exists "contact_export" cascade;`);
    this.addSql(`drop table if exists "contact_export_chunk" cascade;`);
  }
}
