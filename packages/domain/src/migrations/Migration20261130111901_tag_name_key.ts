import { Migration } from '@mikro-orm/migrations';
import { normalizeTagName, tagNameKey } from '@tagging/contracts';
import type { EntityManager } from '../db/database.ts';
import { textArray } from '../db/sql-values.ts';

type TagRow = { workspace_id: number; id: string; name: string; type: string };
type KeyedTag = TagRow & { normalized: string; key: string };

const batchSize = 5000;

/**
 * The store's `moveEntityTagsToTarget` as it was when this migration was written, frozen here:
 * the store's statement names columns added by later migrations (`applied_by_key_id`), which do
 * not exist yet when this one runs.
 */
async function moveEntityTagsToTarget(
  em: EntityManager,
  workspaceId: number,
  targetId: string,
  sourceIds: readonly string[],
): Promise<{ moved: number; collapsed: number }> {
  const [counts] = await em.execute<{ source_rows: number; moved: number }[]>(
    `with taken as (
       delete from entity_tag where workspace_id = ? and tag_id = any(?::text[])
       returning id, entity_type, entity_id, source_type, source_entity_type, source_entity_id, created_at
     ), best as (
       select distinct on (entity_type, entity_id) * from taken
       order by entity_type, entity_id, source_type = 'direct' desc, source_entity_id collate "C", created_at, id
     ), written as (
       insert into entity_tag
         (workspace_id, id, entity_type, entity_id, tag_id, source_type, source_entity_type, source_entity_id, created_at)
       select ?, id, entity_type, entity_id, ?, source_type, source_entity_type, source_entity_id, created_at from best
       on conflict (workspace_id, entity_type, entity_id, tag_id) do update
         set source_type = 'direct', source_entity_type = null, source_entity_id = null
         where excluded.source_type = 'direct' and entity_tag.source_type = 'inherited'
     )
     select (select count(*) from taken)::int as source_rows,
            (select count(*) from best b where not exists (
               select 1 from entity_tag et where et.workspace_id = ? and et.tag_id = ?
                 and et.entity_type = b.entity_type and et.entity_id = b.entity_id))::int as moved`,
    [workspaceId, textArray(sourceIds), workspaceId, targetId, workspaceId, targetId],
  );
  const sourceRows = counts?.source_rows ?? 0;
  const moved = counts?.moved ?? 0;
  return { moved, collapsed: sourceRows - moved };
}

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
      // The merged tags' unfinished jobs go on for the target. The statement as the schema stood
      // at this migration (later columns, such as merge jobs' sources, did not exist yet).
      await em.execute(
        `update propagation_job set tag_id = ?, updated_at = now()
         where workspace_id = ? and tag_id = any(?::text[]) and status in ('pending', 'running')`,
        [target.id, target.workspace_id, textArray(sourceIds)],
      );
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
