import { Migration } from '@mikro-orm/migrations';

export class Migration20261130111432_job_retries extends Migration {
  override name = 'Migration20261130111432_job_retries';

  override up(): void | Promise<void> {
    this.addSql(`drop index "propagation_job_status_idx";`);
    this.addSql(
      `alter table "propagation_job" add "hard_failures" int not null default 0, add "run_after" timestamptz not null default now();`,
    );
    this.addSql(
      `create index "propagation_job_claim_idx" on "propagation_job" ("run_after") where status in ('pending', 'running');`,
    );
    this.addSql(
      `create index "propagation_job_finished_idx" on "propagation_job" ("updated_at") where status not in ('pending', 'running');`,
    );

    this.addSql(`drop index "contact_export_status_idx";`);
    this.addSql(
      `alter table "contact_export" add "hard_failures" int not null default 0, add "run_after" timestamptz not null default now();`,
    );
    this.addSql(
      `create index "contact_export_claim_idx" on "contact_export" ("updated_at") where status in ('pending', 'running');`,
    );
    this.addSql(
      `create index "contact_export_served_idx" on "contact_export" ("workspace_id", "updated_at") where status <> 'pending';`,
    );
    this.addSql(
      `create index "contact_export_finished_idx" on "contact_export" ("updated_at") where status not in ('pending', 'running');`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "contact_export_claim_idx";`);
    this.addSql(`drop index "contact_export_served_idx";`);
    this.addSql(`drop index "contact_export_finished_idx";`);
    this.addSql(`alter table "contact_export" drop column "hard_failures", drop column "run_after";`);
    this.addSql(`create index "contact_export_status_idx" on "contact_export" ("status", "updated_at");`);

    this.addSql(`drop index "propagation_job_claim_idx";`);
    this.addSql(`drop index "propagation_job_finished_idx";`);
    this.addSql(`alter table "propagation_job" drop column "hard_failures", drop column "run_after";`);
    this.addSql(`create index "propagation_job_status_idx" on "propagation_job" ("status", "created_at");`);
  }
}
