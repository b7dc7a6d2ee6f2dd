import {
  idPrefixes,
  type BulkItemError,
  type BulkUpsertResult,
  type BulkUpsertSessionsInput,
} from '@tagging/contracts';
import type { EntityManager } from '../db/database.ts';
import { assertBulkSize, firstOccurrences } from '../db/bulk-items.ts';
import { textArray } from '../db/sql-values.ts';
import { inTransaction } from '../db/transaction.ts';
import { newId } from '../ids.ts';
import type { PlainResult } from '../plain-result.ts';
import { upsertResult, type UpsertedRow } from '../contacts/bulk-upsert-contacts.ts';
import { lockContacts, lockSessionsByExternalId } from '../entity-tags/entity-locks.ts';
import { recomputeInheritedTags } from '../inheritance/recompute-inherited-tags.ts';
import { resolveSessionContacts } from './resolve-session-contacts.ts';

/**
 * Creates sessions, or updates those whose external id exists, linking each to a contact given
 * by id or external id (`contactId: null` unlinks; leaving both out keeps the link). Items whose
 * contact is not in the workspace are reported and skipped. A fixed number of statements: resolve
 * contacts, lock the contacts whose sessions move, upsert, recompute inheritance.
 */
export function bulkUpsertSessions(
  em: EntityManager,
  workspaceId: number,
  input: BulkUpsertSessionsInput,
): Promise<PlainResult<BulkUpsertResult>> {
  assertBulkSize(input.sessions.length);
  return inTransaction(em, async (em) => {
    const errors: BulkItemError[] = [];
    const candidates = firstOccurrences(input.sessions, errors);

    // The contact each item names, resolved in one statement (an index probe per item).
    const wanted = candidates.map((index) => input.sessions[index] ?? {});
    const contactOf = await resolveSessionContacts(em, workspaceId, wanted);

    // Two upserts of one new external id would both find no session to lock: the second then
    // updates the first's row and moves it off a contact it never locked, while that contact's
    // tags may be reaching it. A transaction lock per external id (in key order) makes the second
    // wait and then find, and lock, the row and its contact.
    await em.execute(
      `select pg_advisory_xact_lock(k) from (
         select distinct hashtextextended('session:' || ? || ':' || x, 0) as k from unnest(?::text[]) as x order by k) keys`,
      [workspaceId, textArray(wanted.map((item) => item.externalId ?? ''))],
    );
    // Lock the existing sessions, then every contact whose sessions gain or lose a link (the
    // global order: sessions, then contacts, each by id).
    const current = await lockSessionsByExternalId(
      em,
      workspaceId,
      wanted.map((item) => item.externalId ?? ''),
    );
    const locked = new Set(
      await lockContacts(em, workspaceId, [
        ...current.map((row) => row.contact_id).filter((id): id is string => id !== null),
        ...[...contactOf.values()].filter((id): id is string => id !== null),
      ]),
    );

    // A contact resolved above but deleted before its lock was granted is not found either.
    const applied: number[] = [];
    const links: (string | null)[] = [];
    const linkGiven: boolean[] = [];
    wanted.forEach((item, position) => {
      const index = candidates[position] ?? -1;
      const names = item.contactId ?? item.contactExternalId;
      const contactId = contactOf.get(position) ?? null;
      if (names !== undefined && names !== null && (contactId === null || !locked.has(contactId))) {
        errors.push({ index, code: 'NOT_FOUND', message: `contact ${names} not found` });
        return;
      }
      applied.push(index);
      links.push(contactId);
      linkGiven.push(item.contactId !== undefined || item.contactExternalId !== undefined);
    });
    const items = applied.map((index) => input.sessions[index] ?? {});

    const proposedIds = items.map(() => newId(idPrefixes.session));
    const rows = await em.execute<UpsertedRow[]>(
      `insert into session (workspace_id, id, name, contact_id, external_id, metadata)
       select ?, coalesce(s.id, t.id), coalesce(t.name, s.name, ''),
              case when t.link_given then t.contact_id else s.contact_id end,
              t.external_id, coalesce(t.metadata, s.metadata, '{}')
       from jsonb_to_recordset(?::jsonb)
         as t(id text, name text, contact_id text, link_given boolean, external_id text, metadata jsonb)
       left join session s on s.workspace_id = ? and s.external_id = t.external_id
       order by t.external_id
       on conflict (workspace_id, external_id) do update
         set name = excluded.name, contact_id = excluded.contact_id, metadata = excluded.metadata, updated_at = now()
       returning id, external_id, (xmax = 0) as inserted`,
      [
        workspaceId,
        JSON.stringify(
          items.map((item, position) => ({
            id: proposedIds[position],
            name: item.name ?? null,
            contact_id: links[position],
            link_given: linkGiven[position],
            external_id: item.externalId ?? null,
            metadata: item.metadata ?? null,
          })),
        ),
        workspaceId,
      ],
    );
    await recomputeInheritedTags(
      em,
      workspaceId,
      rows.map((row) => row.id),
    );
    return upsertResult(input.sessions.length, applied, items, proposedIds, rows, errors);
  });
}
