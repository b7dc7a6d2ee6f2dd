import { Migration } from '@mikro-orm/migrations';

/**
 * A `merge-tags` job keeps how many of the rows its batches moved collapsed onto the target's
 * (`processed_sessions` counts them all), so that its `tag.merged` event reports the whole merge.
 */
export class Migration20261130171103_merge_job_totals extends Migration {
  override name = 'Migration20261130171103_merge_job_totals';

  override up(): void | Promise<void> {
    this.addSql(`alter table "propagation_job" add "merge_collapsed" int not null default 0;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "propagation_job" drop column "merge_collapsed";`);
  }
}
