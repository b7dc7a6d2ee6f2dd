import type { BulkPatchTagsInput } from '@tagging/contracts';
import type { Actor } from '../actor.ts';
import type { EntityManager } from '../db/database.ts';
import { inTransaction } from '../db/transaction.ts';
import { DomainError } from '../errors.ts';
import { lockTagsForUpdate } from '../entity-tags/entity-locks.ts';
import { recordEvents } from '../events/event-outbox.ts';
import { textArray } from '../db/sql-values.ts';
import { tagColumns, toTag, type TagRow } from './tag-rows.ts';

/**
 * Patches the order and description of many tags in one statement, all or nothing: an unknown
 * id (or another workspace's) fails the whole request and changes nothing. The actor's key is
 * recorded as each tag's last changer. Returns the number of tags patched (each named once); a
 * tag whose patch changes nothing keeps its `updatedAt` and records no `tag.updated` (as
 * `updateTag`).
 */
export function bulkPatchTags(
  em: EntityManager,
  workspaceId: number,
  input: BulkPatchTagsInput,
  actor: Actor,
): Promise<number> {
  return inTransaction(em, async (em) => {
    const ids = [...new Set(input.patches.map((patch) => patch.id))];
    const known = new Set(await lockTagsForUpdate(em, workspaceId, ids));
    const unknown = input.patches.flatMap((patch, index) => (known.has(patch.id) ? [] : [{ index, id: patch.id }]));
    if (unknown.length > 0)
      throw new DomainError(
        'NOT_FOUND',
        `tag ${unknown.map((u) => u.id).join(', ')} not found`,
        unknown.map((u) => ({ path: ['patches', u.index, 'id'], message: 'tag not found' })),
      );
    const rows = await em.execute<{ id: string }[]>(
      `update tag t set
         "order" = case when p.has_order then p."order" else t."order" end,
         description = case when p.has_description then p.description else t.description end,
         updated_at = now(), updated_by_key_id = ?
       from jsonb_to_recordset(?::jsonb) as p(id text, "order" int, has_order boolean, description text, has_description boolean)
       where t.workspace_id = ? and t.id = p.id
         and (p.has_order and p."order" is distinct from t."order"
              or p.has_description and p.description is distinct from t.description)
       returning t.id`,
      [
        actor.apiKeyId,
        JSON.stringify(
          input.patches.map((patch) => ({
            id: patch.id,
            order: patch.order ?? null,
            has_order: patch.order !== undefined,
            description: patch.description ?? null,
            has_description: patch.description !== undefined,
          })),
        ),
        workspaceId,
      ],
    );
    // One `tag.updated` per changed tag, with the tag as it is now (one read for all of them).
    const tags = await em.execute<TagRow[]>(
      `select ${tagColumns} from tag t where t.workspace_id = ? and t.id = any(?::text[]) order by t.id`,
      [workspaceId, textArray(rows.map((row) => row.id))],
    );
    await recordEvents(
      em,
      workspaceId,
      tags.map((row) => ({ type: 'tag.updated' as const, data: { tag: toTag(row) } })),
    );
    return ids.length;
  });
}
