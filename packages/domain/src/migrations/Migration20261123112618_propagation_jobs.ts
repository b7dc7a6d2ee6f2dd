import { Migration } from '@mikro-orm/migrations';
import { jobStatuses, propagationJobKinds } from '@tagging/contracts';
import { sqlStringList } from '../db/sql-values.ts';

export class Migration20261123112618_propagation_jobs extends Migration {
  override name = 'Migration20261123112618_propagation_jobs';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "propagation_job" ("workspace_id" int not null, "id" text not null, "kind" text not null, "contact_id" text not null, "tag_id" text not null, "status" text not null default 'pending', "cursor" text null, "processed_sessions" int not null default 0, "total_sessions" int not null default 0, "attempts" int not null default 0, "error" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("workspace_id", "id"));`,
    );
    this.addSql(`create index "propagation_job_status_idx" on "propagation_job" ("status", "created_at");`);

    this.addSql(`drop index "entity_tag_tag_idx";`);
    this.addSql(
      `create index "entity_tag_tag_idx" on "entity_tag" ("workspace_id", "tag_id", "entity_type", "source_type", "entity_id");`,
    );

    this.addSql(
      `alter table "propagation_job" add constraint "propagation_job_workspace_id_foreign" foreign key ("workspace_id") references "workspace" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "propagation_job" add constraint "propagation_job_kind_check" check ("kind" in (${sqlStringList(propagationJobKinds)}));`,
    );
    this.addSql(
      `alter table "propagation_job" add constraint "propagation_job_status_check" check ("status" in (${sqlStringList(jobStatuses)}));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "propagation_job" cascade;`);

    this.addSql(`drop index "entity_tag_tag_idx";`);
    this.addSql(
      `create index "entity_tag_tag_idx" on "entity_tag" ("workspace_id", "tag_id", "entity_type", "source_type");`,
    );
  }
}
