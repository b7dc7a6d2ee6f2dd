import { Migration } from '@mikro-orm/migrations';
import { normalizeTagName, tagNameKey } from '@tagging/contracts';
import { moveEntityTagsToTarget } from '../entity-tags/entity-tag-store.ts';
import { moveUnfinishedJobsToTag } from '../jobs/propagation-jobs.ts';

type TagRow = { workspace_id: number; id: string; name: string; type: string };
type KeyedTag = TagRow & { normalized: string; key: string };

const batchSize = 5000;

/**
 * Tag names get their comparison key (contracts' `tagNameKey`, computed here in the application,
 * never by PostgreSQL) and are stored NFC-normalized; names are unique per workspace and type
 * under the key. Tags that the old rule (`lower(name)`) let coexist but the key makes one, such
 * as a precomposed and a decomposed `Café`, are merged into the oldest of them (its entity tags
 * move, duplicates collapse); every merge is reported on stderr. Nothing is dropped.
 */
export class Migration20261130111901_tag_name_key extends Migration {
  override name = 'Migration20261130111901_tag_name_key';

  override async up(): Promise<void> {
    await this.execute(`alter table "tag" add "name_key" text null;`);
    await this.execute(`drop index "tag_name_uq";`);
    // Oldest first: the first tag of a key is the one the others merge into.
    const rows = (await this.execute(
      `select workspace_id, id, name, type from tag order by workspace_id, created_at, id`,
    )) as TagRow[];
    const tags: KeyedTag[] = rows.map((row) => ({
      ...row,
      normalized: normalizeTagName(row.name),
      key: tagNameKey(row.name),
    }));
    for (let start = 0; start < tags.length; start += batchSize) {
      const batch = tags.slice(start, start + batchSize);
      await this.execute(
        `update tag t set name = k.name, name_key = k.key
         from jsonb_to_recordset(?::jsonb) as k(workspace_id int, id text, name text, key text)
         where t.workspace_id = k.workspace_id and t.id = k.id`,
        [
          JSON.stringify(
            batch.map(({ workspace_id, id, normalized, key }) => ({ workspace_id, id, name: normalized, key })),
          ),
        ],
      );
    }
    const groups = new Map<string, KeyedTag[]>();
    for (const tag of tags) {
      const group = JSON.stringify([tag.workspace_id, tag.type, tag.key]);
      groups.set(group, [...(groups.get(group) ?? []), tag]);
    }
    const em = this.getEntityManager();
    for (const [target, ...sources] of groups.values()) {
      if (!target || sources.length === 0) continue;
      const sourceIds = sources.map((source) => source.id);
      const { moved, collapsed } = await moveEntityTagsToTarget(em, target.workspace_id, target.id, sourceIds);
      await moveUnfinishedJobsToTag(em, target.workspace_id, sourceIds, target.id);
      await em.execute('delete from tag where workspace_id = ? and id in (?)', [target.workspace_id, sourceIds]);
      console.warn(
        `tag name key migration: workspace ${target.workspace_id}, merged ${sources
          .map((source) => `${source.id} ${JSON.stringify(source.name)}`)
          .join(', ')} into ${target.id} ${JSON.stringify(target.name)} (type ${target.type}; ` +
          `${moved} entity tags moved, ${collapsed} duplicates collapsed)`,
      );
    }
    await this.execute(`alter table "tag" alter column "name_key" set not null;`);
    await this.execute(
      `create unique index "tag_name_key_uq" on public.tag ("workspace_id", "name_key" text_pattern_ops, "type");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "tag_name_key_uq";`);
    this.addSql(`alter table "tag" drop column "name_key";`);
    this.addSql(`create unique index "tag_name_uq" on public.tag ("workspace_id", lower("name") text_pattern_ops);`);
  }
}
