import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 16: the xlsx format, the CSV byte order mark option, and chunks stored without
 * PostgreSQL's pglz compression (`storage external`): an export's file is written once and
 * read once, and compressing 100 MiB of text cost the build more than the disk it saved.
 */
export class Migration20261130141205_export_formats extends Migration {
  override name = 'Migration20261130141205_export_formats';

  override up(): void | Promise<void> {
    this.addSql(`alter table "contact_export" drop constraint "contact_export_format_check";`);
    this.addSql(
      `alter table "contact_export" add constraint "contact_export_format_check" check ("format" in ('csv', 'jsonl', 'xlsx'));`,
    );
    this.addSql(`alter table "contact_export" add "bom" boolean not null default false;`);
    this.addSql(`alter table "contact_export_chunk" alter column "data" set storage external;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "contact_export_chunk" alter column "data" set storage extended;`);
    this.addSql(`alter table "contact_export" drop column "bom";`);
    this.addSql(`alter table "contact_export" drop constraint "contact_export_format_check";`);
    this.addSql(
      `alter table "contact_export" add constraint "contact_export_format_check" check ("format" in ('csv', 'jsonl'));`,
    );
  }
}
