import type { EntityManager } from '../db/database.ts';

/** How one bulk session item names its contact: by id, or (only when no id is given) by external id. */
export type ContactReference = { contactId?: string | null | undefined; contactExternalId?: string | null | undefined };

/**
 * One statement that resolves every item's contact. Each item probes the contact table through
 * two correlated subqueries: `contact_pkey` for an id, `contact_external_id_uq` for an external
 * id (only when no id is given), so the cost is one index probe per item whatever the
 * workspace's size. A single join on `c.id = ... or c.external_id = ...` let the planner fall
 * back to a nested loop filtering every contact of the workspace for every item (2,000 items ×
 * 50,000 contacts: 100 million rows filtered, 7.8 s on PostgreSQL, 90 s on PGlite without
 * statistics); subqueries in the select list are always run per row, so no plan can do that.
 * See docs/QUERY-PLANS.md.
 */
export const resolveContactsSql = `select t.position,
       coalesce(
         (select c.id from contact c where c.workspace_id = ? and c.id = t.contact_id),
         case when t.contact_id is null then
           (select c.id from contact c where c.workspace_id = ? and c.external_id = t.contact_external_id)
         end
       ) as contact_id
     from jsonb_to_recordset(?::jsonb) as t(position int, contact_id text, contact_external_id text)`;

/** The parameters of `resolveContactsSql` for the references, in their order (position = index). */
export function resolveContactsParams(workspaceId: number, references: readonly ContactReference[]): unknown[] {
  return [
    workspaceId,
    workspaceId,
    JSON.stringify(
      references.map((item, position) => ({
        position,
        contact_id: item.contactId ?? null,
        contact_external_id: item.contactExternalId ?? null,
      })),
    ),
  ];
}

/**
 * The id of the workspace's contact each reference names, by position; `null` where it names
 * none (or no contact of this workspace has that id / external id). One statement.
 */
export async function resolveSessionContacts(
  em: EntityManager,
  workspaceId: number,
  references: readonly ContactReference[],
): Promise<Map<number, string | null>> {
  const rows = await em.execute<{ position: number; contact_id: string | null }[]>(
    resolveContactsSql,
    resolveContactsParams(workspaceId, references),
  );
  return new Map(rows.map((row) => [row.position, row.contact_id]));
}
