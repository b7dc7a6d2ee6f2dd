import { z } from 'zod';
import type { AppliedTag, AppliedTags, TagEntitiesInput, TagEntitiesResult } from '@tagging/contracts';
import type { EntityManager } from '../db/database.ts';
import { executePrepared } from '../db/prepared-statements.ts';
import { decodeCursor, encodeCursor } from '../db/keyset-cursor.ts';
import { toIso } from '../db/sql-values.ts';
import { notFound } from '../errors.ts';
import { toAppliedTag, type AppliedTagRow, type EntityTagRow } from './entity-tag-rows.ts';

/**
 * An entity's applied tags with their tag, and whether the entity exists, in one statement
 * (parameters: workspace id, entity id, workspace id, entity type, entity id), by entity type:
 * one row `found = false` when it does not exist, one row with null columns when it has no tags,
 * else a row per entity tag in tag order. One round trip, where an existence check and the read
 * were two (issue 20), and one snapshot for both.
 * Each entity tag finds its tag by itself (a lateral `limit 1` on the key): as a join, the tag
 * costed at one row was hashed from every tag of the workspace on each read (0.12 ms of 0.29 at
 * 200 tags; 0.065 ms this way, prepared: docs/QUERY-PLANS.md).
 */
const appliedTagsOf = (table: 'contact' | 'session') => `select e.found, a.*
     from (select exists (select 1 from ${table} where workspace_id = ? and id = ?) as found) e
     left join lateral (
       select et.*, t.name, t.color, t.emoji, t."order" as tag_order
       from entity_tag et
       cross join lateral (select t.name, t.color, t.emoji, t."order" from tag t
                           where t.workspace_id = et.workspace_id and t.id = et.tag_id limit 1) t
       where et.workspace_id = ? and et.entity_type = ? and et.entity_id = ?) a on e.found
     order by a.tag_order, a.tag_id`;

export const appliedTagsSql = { contact: appliedTagsOf('contact'), session: appliedTagsOf('session') } as const;

async function appliedTags(
  em: EntityManager,
  workspaceId: number,
  entityType: 'contact' | 'session',
  entityId: string,
): Promise<AppliedTags> {
  const rows = await executePrepared<{ found: boolean } & (AppliedTagRow | { id: null })>(
    em,
    `${entityType}_applied_tags`,
    appliedTagsSql[entityType],
    [workspaceId, entityId, workspaceId, entityType, entityId],
  );
  if (!rows[0]?.found) throw notFound(entityType, entityId);
  // A loop, not `flatMap`: no array per row on a route that runs thousands of times a second.
  const tags: AppliedTag[] = [];
  for (const row of rows) if (row.id !== null) tags.push(toAppliedTag(row));
  return { tags };
}

/** A contact's tags: its own rows (direct, or from a session's `propagateToContact`). */
export const contactTags = (em: EntityManager, workspaceId: number, contactId: string) =>
  appliedTags(em, workspaceId, 'contact', contactId);

/** A session's tags, direct and inherited (with where they come from). */
export const sessionTags = (em: EntityManager, workspaceId: number, sessionId: string) =>
  appliedTags(em, workspaceId, 'session', sessionId);

const EntityCursor = z.tuple([z.enum(['contact', 'session']), z.enum(['direct', 'inherited']), z.string()]);

/**
 * The entities that have a tag, filtered by entity and source type, in index order
 * (entity type, source type, entity id) so that every page is one index range scan.
 */
export async function tagEntities(
  em: EntityManager,
  workspaceId: number,
  input: TagEntitiesInput,
): Promise<TagEntitiesResult> {
  const [tag] = await em.execute('select 1 from tag where workspace_id = ? and id = ?', [workspaceId, input.tagId]);
  if (!tag) throw notFound('tag', input.tagId);
  const where = ['workspace_id = ?', 'tag_id = ?'];
  const params: unknown[] = [workspaceId, input.tagId];
  if (input.entityType) {
    where.push('entity_type = ?');
    params.push(input.entityType);
  }
  if (input.sourceType) {
    where.push('source_type = ?');
    params.push(input.sourceType);
  }
  if (input.cursor) {
    where.push('(entity_type, source_type, entity_id) > (?, ?, ?)');
    params.push(...decodeCursor(input.cursor, EntityCursor));
  }
  const rows = await em.execute<EntityTagRow[]>(
    `select entity_type, entity_id, source_type, source_entity_type, source_entity_id, applied_by_key_id, created_at
     from entity_tag
     where ${where.join(' and ')} order by entity_type, source_type, entity_id limit ?`,
    [...params, input.limit + 1],
  );
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    entities: page.map((row) => ({
      entityType: row.entity_type,
      entityId: row.entity_id,
      sourceType: row.source_type,
      ...(row.source_entity_type ? { sourceEntityType: row.source_entity_type } : {}),
      ...(row.source_entity_id ? { sourceEntityId: row.source_entity_id } : {}),
      appliedByKeyId: row.applied_by_key_id,
      createdAt: toIso(row.created_at),
    })),
    nextCursor:
      rows.length > input.limit && last ? encodeCursor([last.entity_type, last.source_type, last.entity_id]) : null,
  };
}
