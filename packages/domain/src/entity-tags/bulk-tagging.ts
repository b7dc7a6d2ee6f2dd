import {
  ContactId,
  SessionId,
  type BulkEntityError,
  type BulkTagInput,
  type BulkTagResult,
  type BulkUntagResult,
} from '@tagging/contracts';
import type { EntityManager } from '../db/database.ts';
import { assertBulkSize } from '../db/bulk-items.ts';
import { sqlNewId } from '../db/sql-ids.ts';
import { textArray } from '../db/sql-values.ts';
import { inTransaction } from '../db/transaction.ts';
import { lockTag } from './entity-locks.ts';
import { propagateContactsTag, unpropagateContactsTag } from './propagation.ts';

type Item = { index: number; entityType: 'contact' | 'session'; entityId: string };

/**
 * Sorts a bulk request into valid, distinct items and per-item errors (unknown entity type, an
 * id that is not of that type). A repeated entity is counted once.
 */
function classify(input: BulkTagInput, errors: BulkEntityError[]): { items: Item[]; repeats: number } {
  const seen = new Set<string>();
  const items: Item[] = [];
  let repeats = 0;
  input.entities.forEach(({ entityType, entityId }, index) => {
    const fail = (message: string) => errors.push({ index, entityType, entityId, code: 'VALIDATION_ERROR', message });
    if (entityType !== 'contact' && entityType !== 'session') return fail('entityType must be contact or session');
    if (!(entityType === 'contact' ? ContactId : SessionId).safeParse(entityId).success)
      return fail(`not a ${entityType} id`);
    const key = `${entityType}:${entityId}`;
    if (seen.has(key)) return repeats++;
    seen.add(key);
    items.push({ index, entityType, entityId });
  });
  return { items, repeats };
}

const idsOf = (items: Item[], type: Item['entityType']) =>
  items.filter((i) => i.entityType === type).map((i) => i.entityId);

/**
 * Locks the listed sessions, then the listed contacts (the global lock order) and reports the
 * ids that are not in the workspace. Returns the found sessions with their contact.
 */
async function lockEntities(
  em: EntityManager,
  workspaceId: number,
  items: Item[],
  errors: BulkEntityError[],
  extraContacts: (sessions: { id: string; contact_id: string | null }[]) => string[] = () => [],
): Promise<{ found: Item[]; sessions: { id: string; contact_id: string | null }[] }> {
  const sessionIds = idsOf(items, 'session');
  const sessions = sessionIds.length
    ? await em.execute<{ id: string; contact_id: string | null }[]>(
        'select id, contact_id from session where workspace_id = ? and id = any(?::text[]) order by id for update',
        [workspaceId, textArray(sessionIds)],
      )
    : [];
  const contactIds = [...new Set([...idsOf(items, 'contact'), ...extraContacts(sessions)])].sort();
  const contacts = contactIds.length
    ? await em.execute<{ id: string }[]>(
        'select id from contact where workspace_id = ? and id = any(?::text[]) order by id for update',
        [workspaceId, textArray(contactIds)],
      )
    : [];
  const present = new Set([...sessions.map((s) => `session:${s.id}`), ...contacts.map((c) => `contact:${c.id}`)]);
  const found = items.filter((item) => {
    if (present.has(`${item.entityType}:${item.entityId}`)) return true;
    errors.push({ ...item, code: 'NOT_FOUND', message: `${item.entityType} ${item.entityId} not found` });
    return false;
  });
  return { found, sessions };
}

/**
 * Tags many contacts and sessions at once: one statement writes every direct row (an inherited
 * row becomes direct), one more gives the tagged contacts' sessions their inherited rows.
 */
export function bulkTag(em: EntityManager, workspaceId: number, input: BulkTagInput): Promise<BulkTagResult> {
  assertBulkSize(input.entities.length);
  return inTransaction(em, async (em) => {
    const errors: BulkEntityError[] = [];
    const { items, repeats } = classify(input, errors);
    await lockTag(em, workspaceId, input.tagId);
    const { found } = await lockEntities(em, workspaceId, items, errors);
    const tagged = found.length
      ? await em.execute<{ entity_type: string; entity_id: string }[]>(
          `insert into entity_tag (workspace_id, id, entity_type, entity_id, tag_id, source_type)
           select ?, ${sqlNewId('etag')}, t.entity_type, t.entity_id, ?, 'direct'
           from jsonb_to_recordset(?::jsonb) as t(entity_type text, entity_id text)
           on conflict (workspace_id, entity_type, entity_id, tag_id) do update
             set source_type = 'direct', source_entity_type = null, source_entity_id = null
             where entity_tag.source_type <> 'direct'
           returning entity_type, entity_id`,
          [
            workspaceId,
            input.tagId,
            JSON.stringify(found.map((i) => ({ entity_type: i.entityType, entity_id: i.entityId }))),
          ],
        )
      : [];
    const contacts = tagged.filter((row) => row.entity_type === 'contact').map((row) => row.entity_id);
    const propagated = await propagateContactsTag(em, workspaceId, contacts, input.tagId);
    return {
      success: true,
      tagged: tagged.length,
      skipped: found.length - tagged.length + repeats,
      propagatedToSessions: propagated,
      errors: errors.sort((a, b) => a.index - b.index),
    };
  });
}

/**
 * Untags many entities at once, contacts first (their sessions lose what they inherited), then
 * sessions: a direct row falls back to inherited where the contact still has the tag, otherwise
 * it goes; a session that only inherits the tag is reported, not changed.
 */
export function bulkUntag(em: EntityManager, workspaceId: number, input: BulkTagInput): Promise<BulkUntagResult> {
  assertBulkSize(input.entities.length);
  return inTransaction(em, async (em) => {
    const errors: BulkEntityError[] = [];
    const { items, repeats } = classify(input, errors);
    await lockTag(em, workspaceId, input.tagId);
    const { found } = await lockEntities(em, workspaceId, items, errors, (rows) =>
      rows.map((row) => row.contact_id).filter((id): id is string => id !== null),
    );
    const contactIds = idsOf(found, 'contact');
    const untaggedContacts = contactIds.length
      ? await em.execute<{ entity_id: string }[]>(
          `delete from entity_tag where workspace_id = ? and entity_type = 'contact' and tag_id = ? and entity_id = any(?::text[])
           returning entity_id`,
          [workspaceId, input.tagId, textArray(contactIds)],
        )
      : [];
    const removed = await unpropagateContactsTag(
      em,
      workspaceId,
      untaggedContacts.map((row) => row.entity_id),
      input.tagId,
    );

    const sessionItems = found.filter((item) => item.entityType === 'session');
    const rows = sessionItems.length
      ? await em.execute<
          { entity_id: string; source_type: string; source_entity_id: string | null; contact_has: boolean }[]
        >(
          `select et.entity_id, et.source_type, et.source_entity_id,
                  exists (select 1 from entity_tag c where c.workspace_id = et.workspace_id and c.entity_type = 'contact'
                            and c.entity_id = s.contact_id and c.tag_id = et.tag_id) as contact_has
           from entity_tag et join session s on s.workspace_id = et.workspace_id and s.id = et.entity_id
           where et.workspace_id = ? and et.entity_type = 'session' and et.tag_id = ? and et.entity_id = any(?::text[])`,
          [workspaceId, input.tagId, textArray(sessionItems.map((item) => item.entityId))],
        )
      : [];
    const byId = new Map(rows.map((row) => [row.entity_id, row]));
    const fallBack: string[] = [];
    const drop: string[] = [];
    for (const item of sessionItems) {
      const row = byId.get(item.entityId);
      if (!row) continue;
      if (row.source_type !== 'direct') {
        errors.push({
          ...item,
          code: 'CONFLICT',
          message: `tag is inherited from contact ${row.source_entity_id ?? ''}; remove it from the contact`,
        });
      } else (row.contact_has ? fallBack : drop).push(item.entityId);
    }
    if (fallBack.length)
      await em.execute(
        `update entity_tag et set source_type = 'inherited', source_entity_type = 'contact', source_entity_id = s.contact_id
         from session s
         where et.workspace_id = ? and et.entity_type = 'session' and et.tag_id = ? and et.entity_id = any(?::text[])
           and s.workspace_id = et.workspace_id and s.id = et.entity_id`,
        [workspaceId, input.tagId, textArray(fallBack)],
      );
    if (drop.length)
      await em.execute(
        `delete from entity_tag where workspace_id = ? and entity_type = 'session' and tag_id = ? and entity_id = any(?::text[])`,
        [workspaceId, input.tagId, textArray(drop)],
      );
    const untagged = untaggedContacts.length + fallBack.length + drop.length;
    const conflicts = errors.filter((e) => e.code === 'CONFLICT').length;
    return {
      success: true,
      untagged,
      skipped: found.length - untagged - conflicts + repeats,
      removedFromSessions: removed,
      errors: errors.sort((a, b) => a.index - b.index),
    };
  });
}
