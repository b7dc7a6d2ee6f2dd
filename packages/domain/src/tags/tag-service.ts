import { z } from 'zod';
import { idPrefixes, normalizeTagName, tagNameKey } from '@tagging/contracts';
import type {
  CreateTagInput,
  DeleteTagResult,
  ListTagsInput,
  Tag,
  TagPage,
  TagType,
  UpdateTagInput,
} from '@tagging/contracts';
import type { Actor } from '../actor.ts';
import type { EntityManager } from '../db/database.ts';
import { conflictOnUnique } from '../db/constraint-errors.ts';
import { decodeCursor, encodeCursor } from '../db/keyset-cursor.ts';
import { setClause, startsWithPattern } from '../db/sql-values.ts';
import { inTransaction } from '../db/transaction.ts';
import { DomainError, notFound } from '../errors.ts';
import { newId } from '../ids.ts';
import { lockTagsForUpdate, lockWorkspace } from '../entity-tags/entity-locks.ts';
import { deleteRowsOfTag } from '../entity-tags/entity-tag-store.ts';
import { recordEvents } from '../events/event-outbox.ts';
import { tagColumns, toTag, type TagRow } from './tag-rows.ts';
import type { SqlFragment } from '../filters/tag-filter-sql.ts';
import type { PlainResult } from '../plain-result.ts';
import { refuseTagsBeingMerged, refuseTagsOfUnfinishedExports } from './tag-uses.ts';

const duplicateName = (name: string | undefined) =>
  new DomainError(
    'CONFLICT',
    name === undefined ? 'a tag of that type with this name already exists' : `a tag named "${name}" already exists`,
  );

/**
 * Creates a tag; a name already used by a tag of the same type in the workspace (under
 * `tagNameKey`: ignoring case, compatibility forms and invisible characters) is a conflict.
 * The actor's key is recorded as the tag's creator and last changer.
 */
export function createTag(em: EntityManager, workspaceId: number, input: CreateTagInput, actor: Actor): Promise<Tag> {
  return inTransaction(em, async (em) => {
    // Creates in one workspace take turns, so that "new tags go last" holds under concurrency.
    await lockWorkspace(em, workspaceId);
    const id = newId(idPrefixes.tag);
    // `on conflict do nothing` makes a concurrent duplicate wait for the first insert and then
    // insert nothing: one create wins, the other is a clean 409, never a unique-violation 500.
    // Last is `max(order) + 1`, or the largest order when a tag already has it (a legal value):
    // the new tag then ties and sorts after it by id (creation order), never an int overflow.
    // `cast(? as int)`, not `?::int`: the parameter is inlined, and `-2147483648::int` casts
    // 2147483648 before negating it (out of range; session 24).
    const inserted = await em.execute<{ id: string }[]>(
      `insert into tag (workspace_id, id, name, name_key, color, emoji, type, "order", description,
                        created_by_key_id, updated_by_key_id)
     select ?, ?, ?, ?, ?, ?, ?,
            coalesce(cast(? as int), (select least(coalesce(max("order"), 0)::bigint + 1, 2147483647)::int
                              from tag where workspace_id = ?)), ?, ?, ?
     on conflict do nothing
     returning id`,
      [
        workspaceId,
        id,
        normalizeTagName(input.name),
        tagNameKey(input.name),
        input.color ?? null,
        input.emoji ?? null,
        input.type ?? 'common',
        input.order ?? null,
        workspaceId,
        input.description ?? null,
        actor.apiKeyId,
        actor.apiKeyId,
      ],
    );
    if (inserted.length === 0) {
      // Named as it exists, not as it was typed: `ＶＩＰ` collides with the tag `VIP`.
      const [existing] = await em.execute<{ name: string }[]>(
        'select name from tag where workspace_id = ? and name_key = ? and type = ?',
        [workspaceId, tagNameKey(input.name), input.type ?? 'common'],
      );
      throw duplicateName(existing?.name ?? normalizeTagName(input.name));
    }
    const tag = await getTag(em, workspaceId, id);
    await recordEvents(em, workspaceId, [{ type: 'tag.created', data: { tag } }]);
    return tag;
  });
}

export async function findTag(em: EntityManager, workspaceId: number, id: string): Promise<Tag | undefined> {
  const [row] = await em.execute<TagRow[]>(`select ${tagColumns} from tag t where t.workspace_id = ? and t.id = ?`, [
    workspaceId,
    id,
  ]);
  return row ? toTag(row) : undefined;
}

export async function getTag(em: EntityManager, workspaceId: number, id: string): Promise<Tag> {
  const tag = await findTag(em, workspaceId, id);
  if (!tag) throw notFound('tag', id);
  return tag;
}

const TagCursor = z.tuple([z.number().int(), z.string()]);

/** Tags in display order (`order`, then creation), filtered by name prefix and type. */
export async function listTags(em: EntityManager, workspaceId: number, input: ListTagsInput): Promise<TagPage> {
  const { where, params } = tagWhere(workspaceId, { prefix: input.q, type: input.type });
  if (input.cursor) {
    const [order, id] = decodeCursor(input.cursor, TagCursor);
    where.push('(t."order", t.id) > (?, ?)');
    params.push(order, id);
  }
  const rows = await em.execute<TagRow[]>(
    `select ${tagColumns} from tag t where ${where.join(' and ')} order by t."order", t.id limit ?`,
    [...params, input.limit + 1],
  );
  const page = rows.slice(0, input.limit).map(toTag);
  const last = page.at(-1);
  return { tags: page, nextCursor: rows.length > input.limit && last ? encodeCursor([last.order, last.id]) : null };
}

/**
 * Applies the fields present in `input`; a name (or type) that another tag of the type has is a
 * conflict. The actor's key is recorded as the tag's last changer. A patch that changes nothing
 * (every field given as the tag has it, or none) writes nothing: `updatedAt` stays and no
 * `tag.updated` is recorded (a client saving a form unchanged is not a change; Zapini's PATCH
 * sending back what it showed, session 24).
 */
export function updateTag(em: EntityManager, workspaceId: number, input: UpdateTagInput, actor: Actor): Promise<Tag> {
  return inTransaction(em, async (em) => {
    const { id, ...changes } = input;
    const name = changes.name === undefined ? undefined : normalizeTagName(changes.name);
    const fields = (
      [
        ['name', name],
        ['color', changes.color],
        ['emoji', changes.emoji],
        ['type', changes.type],
        ['"order"', changes.order],
        ['description', changes.description],
      ] as [string, unknown][]
    ).filter(([, value]) => value !== undefined);
    if (fields.length === 0) return getTag(em, workspaceId, id);
    const set = setClause(
      fields
        .map(([column, value]): [string, unknown] => [`${column} = ?`, value])
        .concat(name === undefined ? [] : [['name_key = ?', tagNameKey(name)]])
        .concat([['updated_by_key_id = ?', actor.apiKeyId]]),
    );
    const changed = fields.map(([column]) => `${column} is distinct from ?`).join(' or ');
    const updated = await conflictOnUnique(
      'tag_name_key_uq',
      () => duplicateName(name),
      () =>
        em.execute<{ id: string }[]>(
          `update tag set ${set.sql} where workspace_id = ? and id = ? and (${changed}) returning id`,
          [...set.params, workspaceId, id, ...fields.map(([, value]) => value)],
        ),
    );
    // Nothing changed, or no such tag (`getTag` says NOT_FOUND).
    if (updated.length === 0) return getTag(em, workspaceId, id);
    const tag = await getTag(em, workspaceId, id);
    await recordEvents(em, workspaceId, [{ type: 'tag.updated', data: { tag } }]);
    return tag;
  });
}

/**
 * Deletes a tag and every entity tag row that uses it, direct and inherited. A tag that a merge
 * job still running merges or merges into, or that an export being built filters on, is refused
 * (CONFLICT, `tag-uses.ts`).
 */
export function deleteTag(em: EntityManager, workspaceId: number, id: string): Promise<PlainResult<DeleteTagResult>> {
  return inTransaction(em, async (em) => {
    const [tag] = await lockTagsForUpdate(em, workspaceId, [id]);
    if (!tag) throw notFound('tag', id);
    await refuseTagsBeingMerged(em, workspaceId, [id], 'delete it');
    await refuseTagsOfUnfinishedExports(em, workspaceId, [id], 'delete it');
    const removed = await deleteRowsOfTag(em, workspaceId, id);
    await em.execute('delete from tag where workspace_id = ? and id = ?', [workspaceId, id]);
    await recordEvents(em, workspaceId, [{ type: 'tag.deleted', data: { tagId: id, removedEntityTags: removed } }]);
    return { removedEntityTags: removed };
  });
}

/** Every tag of the workspace in display order, by name prefix and type (dialects without paging). */
export async function allTags(
  em: EntityManager,
  workspaceId: number,
  filter: { prefix?: string | null; type?: TagType | null } = {},
): Promise<Tag[]> {
  const { where, params } = tagWhere(workspaceId, filter);
  const rows = await em.execute<TagRow[]>(
    `select ${tagColumns} from tag t where ${where.join(' and ')} order by t."order", t.id`,
    params,
  );
  return rows.map(toTag);
}

/** The conditions of a tag list: its workspace, a name prefix (compared by `tagNameKey`), a type. */
function tagWhere(
  workspaceId: number,
  filter: { prefix?: string | null | undefined; type?: TagType | null | undefined },
): SqlFragment {
  const where = ['t.workspace_id = ?'];
  const params: unknown[] = [workspaceId];
  if (filter.prefix) {
    where.push(`t.name_key like ? escape '!'`);
    params.push(startsWithPattern(tagNameKey(filter.prefix)));
  }
  if (filter.type) {
    where.push('t.type = ?');
    params.push(filter.type);
  }
  return { where, params };
}
