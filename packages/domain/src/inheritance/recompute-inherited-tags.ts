import type { EntityManager } from '../db/database.ts';
import { sqlNewId } from '../db/sql-ids.ts';

export type InheritanceChange = { added: number; removed: number };

/**
 * Brings the inherited tags of the given sessions in line with the rules (DESIGN.md): a session
 * inherits every tag of its contact that it does not hold directly; nothing else. Three
 * statements whatever the number of sessions: lock the contacts' tags, drop inherited rows the
 * rules do not justify, then add the missing ones. Direct rows are never touched.
 */
export async function recomputeInheritedTags(
  em: EntityManager,
  workspaceId: number,
  sessionIds: readonly string[],
): Promise<InheritanceChange> {
  if (sessionIds.length === 0) return { added: 0, removed: 0 };
  // First the key-share locks of the tags to copy, as every writer of a tag's rows takes them
  // before touching rows (the order deleteTag takes too: tag, then rows). A tag whose delete
  // commits meanwhile is skipped here and gone from the contact's rows when the insert reads
  // them; copying it from an older snapshot would break the tag foreign key.
  await em.execute(
    `select t.id from tag t
     where t.workspace_id = ? and t.id in (
       select ct.tag_id from session s
       join entity_tag ct on ct.workspace_id = s.workspace_id and ct.entity_type = 'contact' and ct.entity_id = s.contact_id
       where s.workspace_id = ? and s.id in (?))
     order by t.id for key share of t`,
    [workspaceId, workspaceId, sessionIds],
  );
  const [removed] = await em.execute<{ count: number }[]>(
    `with gone as (
       delete from entity_tag et
       using session s
       where et.workspace_id = ? and et.entity_type = 'session' and et.entity_id in (?)
         and et.source_type = 'inherited'
         and s.workspace_id = et.workspace_id and s.id = et.entity_id
         and not (
           s.contact_id is not null
           and et.source_entity_type = 'contact' and et.source_entity_id = s.contact_id
           and exists (select 1 from entity_tag ct
                       where ct.workspace_id = et.workspace_id and ct.entity_type = 'contact'
                         and ct.entity_id = s.contact_id and ct.tag_id = et.tag_id))
       returning 1)
     select count(*)::int as count from gone`,
    [workspaceId, sessionIds],
  );
  const [added] = await em.execute<{ count: number }[]>(
    `with made as (
       insert into entity_tag (workspace_id, id, entity_type, entity_id, tag_id, source_type, source_entity_type, source_entity_id)
       select s.workspace_id, ${sqlNewId('etag')}, 'session', s.id, ct.tag_id, 'inherited', 'contact', s.contact_id
       from session s
       join entity_tag ct on ct.workspace_id = s.workspace_id and ct.entity_type = 'contact' and ct.entity_id = s.contact_id
       where s.workspace_id = ? and s.id in (?)
       on conflict (workspace_id, entity_type, entity_id, tag_id) do nothing
       returning 1)
     select count(*)::int as count from made`,
    [workspaceId, sessionIds],
  );
  return { added: added?.count ?? 0, removed: removed?.count ?? 0 };
}
