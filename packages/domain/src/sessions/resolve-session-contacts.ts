import type { EntityManager } from '../db/database.ts';

/** How one bulk session item names its contact: by id, or (only when no id is given) by external id. */
export type ContactReference = { contactId?: string | null | undefined; contactExternalId?: string | null | undefined };

/**
 * One statement that resolves every item's contact by one unique-index probe per item:
 * `contact_pkey` for an id, `contact_external_id_uq` for an external id (only when no id is
 * given), whatever the workspace's size. See docs/QUERY-PLANS.md for the plans.
 *
 * - Correlated subqueries in the select list run once per item, so no plan can turn the lookup
 *   into a join that filters the workspace's contacts for every item. The first version joined on
 *   `c.id = … or c.external_id = …`: a nested loop over every contact of the workspace per item
 *   whenever the planner did not pick a BitmapOr (2,000 items × 50,000 contacts: 100 million rows
 *   filtered, 7.8-56 s on PostgreSQL, 90 s on PGlite).
 * - The workspace is an InitPlan (`(select ?::int)`), not a literal: with a literal, a tenant
 *   whose contacts arrived after the last `analyze` (any import into a large table, where
 *   autovacuum's 10% threshold is far) is estimated at one row, and the planner then scans the
 *   whole workspace through the other index with a filter on the key, per item. An unknown
 *   workspace is estimated at the average tenant's size, so only the full unique key looks cheap.
 */
export const resolveContactsSql = `select t.position,
       case when t.contact_id is not null then
         (select c.id from contact c where c.workspace_id = (select ?::int) and c.id = t.contact_id)
       else
         (select c.id from contact c where c.workspace_id = (select ?::int) and c.external_id = t.contact_external_id)
       end as contact_id
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
