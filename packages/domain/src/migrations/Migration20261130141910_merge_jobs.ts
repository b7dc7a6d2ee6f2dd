import { Migration } from '@mikro-orm/migrations';

/**
 * A tag merge above the fan-out limit continues as a background job in the propagation queue
 * (kind `merge-tags`): it names no contact, its `tag_id` is the target and
 * `merge_sources` the tags merged into it.
 */
export class Migration20261130141910_merge_jobs extends Migration {
  override name = 'Migration20261130141910_merge_jobs';

  override up(): void | Promise<void> {
    this.addSql(`alter table "propagation_job" alter column "contact_id" drop not null;`);
    this.addSql(`alter table "propagation_job" add "merge_sources" text[] null;`);
    this.addSql(`alter table "propagation_job" drop constraint "propagation_job_kind_check";`);
    this.addSql(
      `alter table "propagation_job" add constraint "propagation_job_kind_check" check ("kind" in ('tag-contact', 'untag-contact', 'merge-tags'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`delete from "propagation_job" where "kind" = 'merge-tags';`);
    this.addSql(`alter table "propagation_job" drop constraint "propagation_job_kind_check";`);
    this.addSql(
      `alter table "propagation_job" add constraint "propagation_job_kind_check" check ("kind" in ('tag-contact', 'untag-contact'));`,
    );
    this.addSql(`alter table "propagation_job" drop column "merge_sources";`);
    this.addSql(`alter table "propagation_job" alter column "contact_id" set not null;`);
  }
}
