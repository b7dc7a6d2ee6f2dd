import { config } from './config.ts';
import { median, timed, type Sql } from './db.ts';
import { expectStatus, type Api } from './http.ts';
import { ms, rate, times, type Row } from './report-types.ts';

/**
 * Bulk upsert of new sessions linked by `contactExternalId` (issue 18: the contact lookup used to
 * filter every contact of the workspace for every item). The same items run in the large
 * workspace and in a small one: their cost must depend on the items, not on the workspace.
 */
const items = Math.min(10_000, Math.round(config.otherContacts / 2));
const repeats = 3;

type Item = { externalId: string; contactExternalId: string };

/** `count` new sessions named `<label>-<i>`, one per contact `crm-<from + i>` (ordinary contacts). */
const newItems = (label: string, from: number, count: number): Item[] =>
  Array.from({ length: count }, (_, i) => ({ externalId: `${label}-${i}`, contactExternalId: `crm-${from + i}` }));

/** One `POST /api/sessions/bulk` of the items; checks that every session was created and linked. */
async function upsertApi(target: Api, sessions: Item[]): Promise<number> {
  const { value, ms } = await timed(() =>
    target.call<{ created: number; errors: unknown[] }>('POST', '/api/sessions/bulk', { sessions }),
  );
  expectStatus('bulk upsert sessions', value.status, [200, 201], value.body);
  if (value.body.created !== sessions.length || value.body.errors.length > 0)
    throw new Error(`bulk upsert sessions: ${JSON.stringify(value.body).slice(0, 300)}`);
  return ms;
}

/**
 * The hand-written reference: one statement that upserts the sessions, linked through the
 * external-id index, and gives each the inherited rows of its contact's tags.
 */
async function upsertRaw(sql: Sql, workspaceId: number, sessions: Item[]): Promise<number> {
  const { value, ms } = await timed(() =>
    sql.query(
      `with s as (
         insert into session (workspace_id, id, contact_id, external_id)
         select $1, 'wses_' || tagging_uuid_v7()::text, c.id, t.external_id
         from jsonb_to_recordset($2::jsonb) as t(external_id text, contact_external_id text)
         join contact c on c.workspace_id = $1 and c.external_id = t.contact_external_id
         on conflict (workspace_id, external_id) do update set contact_id = excluded.contact_id, updated_at = now()
         returning id, contact_id),
       i as (
         insert into entity_tag (workspace_id, id, entity_type, entity_id, tag_id, source_type, source_entity_type, source_entity_id)
         select $1, 'etag_' || tagging_uuid_v7()::text, 'session', s.id, ct.tag_id, 'inherited', 'contact', s.contact_id
         from s join entity_tag ct on ct.workspace_id = $1 and ct.entity_type = 'contact' and ct.entity_id = s.contact_id
         on conflict (workspace_id, entity_type, entity_id, tag_id) do nothing
         returning 1)
       select (select count(*) from s)::int as sessions, (select count(*) from i)::int as inherited`,
      [
        workspaceId,
        JSON.stringify(sessions.map((s) => ({ external_id: s.externalId, contact_external_id: s.contactExternalId }))),
      ],
    ),
  );
  const sessionsWritten = (value.rows[0] as { sessions: number } | undefined)?.sessions;
  if (sessionsWritten !== sessions.length) throw new Error(`raw upsert wrote ${sessionsWritten} of ${sessions.length}`);
  return ms;
}

export type SessionUpsertFigures = {
  items: number;
  contacts: number;
  smallContacts: number;
  apiMs: number;
  rawMs: number;
  smallApiMs: number;
};

/**
 * Median of 3 runs each: the API and the raw statement in the large workspace (on different
 * contacts, so both do the same new work), and the API in a small workspace.
 */
export async function sessionUpsertBenchmarks(
  target: Api,
  sql: Sql,
  workspaceId: number,
  small: Api,
): Promise<SessionUpsertFigures> {
  const apiFrom = Math.round(config.contacts * 0.85);
  const rawFrom = Math.round(config.contacts * 0.95);
  const api: number[] = [];
  const raw: number[] = [];
  const smallApi: number[] = [];
  for (let run = 0; run < repeats; run++) {
    api.push(await upsertApi(target, newItems(`bench-upsert-api-${run}`, apiFrom, items)));
    raw.push(await upsertRaw(sql, workspaceId, newItems(`bench-upsert-raw-${run}`, rawFrom, items)));
    smallApi.push(await upsertApi(small, newItems(`bench-upsert-small-${run}`, 1, items)));
  }
  return {
    items,
    contacts: config.contacts,
    smallContacts: config.otherContacts,
    apiMs: median(api),
    rawMs: median(raw),
    smallApiMs: median(smallApi),
  };
}

/** The report rows of the figures. */
export function sessionUpsertRows(f: SessionUpsertFigures): Row[] {
  const n = (value: number): string => value.toLocaleString('en-US');
  const vsRaw = f.apiMs / f.rawMs;
  const vsSmall = f.apiMs / f.smallApiMs;
  return [
    {
      figure: `Bulk upsert ${n(f.items)} sessions linked by contactExternalId (workspace of ${n(f.contacts)} contacts)`,
      ours: `${ms(f.apiMs)} (${rate(f.items / (f.apiMs / 1000), 'rows/s')})`,
      raw: `${ms(f.rawMs)} (one statement)`,
      ratio: times(vsRaw),
      goal: '≤ 2x',
      met: vsRaw <= 2,
    },
    {
      figure: `The same ${n(f.items)} sessions in a workspace of ${n(f.smallContacts)} contacts`,
      ours: ms(f.smallApiMs),
      raw: '—',
      ratio: `${times(vsSmall)} (large / small workspace)`,
      goal: 'cost independent of the workspace (≤ 1.5x)',
      met: vsSmall <= 1.5,
    },
  ];
}
