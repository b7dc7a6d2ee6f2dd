import { sessionTaggedEventsCte } from '@tagging/domain';
import { config } from './config.ts';
import { median, since, timed, type Sql } from './db.ts';
import { expectStatus, type Api } from './http.ts';
import { benchId, sessionNumber } from './ids.ts';

const maxPerRequest = 10_000;

/** First sessions of contacts `[from, from + count)`. */
const sessionsOf = (from: number, count: number): string[] =>
  Array.from({ length: count }, (_, i) => benchId('wses', sessionNumber(from + i, 1)));

/** Bulk tag over REST, 10,000 entities per request, requests one after another. */
export async function bulkTagApi(target: Api, workspaceId: number, tag: number, sessions: string[]): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < sessions.length; i += maxPerRequest) {
    const entities = sessions.slice(i, i + maxPerRequest).map((entityId) => ({ entityType: 'session', entityId }));
    const { status, body } = await target.call<{ tagged: number }>(
      'POST',
      `/api/entity-tags/bulk/tag?workspaceId=${workspaceId}`,
      { tagId: benchId('wtag', tag), entities },
    );
    expectStatus('bulk tag', status, [200, 201], body);
    if (body.tagged !== entities.length) throw new Error(`bulk tag tagged ${body.tagged} of ${entities.length}`);
  }
  return since(start);
}

/**
 * The one hand-written statement for the same work: sessions of the workspace among the ids,
 * upserted as direct rows, each with its `session.tagged` event in the outbox (the service must
 * write one per entity, issue 17), in one round trip.
 */
export async function bulkTagRaw(sql: Sql, workspaceId: number, tag: number, sessions: string[]): Promise<number> {
  const { value, ms } = await timed(() =>
    sql.query<{ tagged: number }>(
      `with written as (
         insert into entity_tag (workspace_id, id, entity_type, entity_id, tag_id, source_type)
         select s.workspace_id, 'etag_' || tagging_uuid_v7()::text, 'session', s.id, $2, 'direct'
         from session s where s.workspace_id = $1 and s.id = any($3::text[])
         on conflict (workspace_id, entity_type, entity_id, tag_id) do update
           set source_type = 'direct', source_entity_type = null, source_entity_id = null
           where entity_tag.source_type <> 'direct'
         returning workspace_id, id, entity_id, tag_id),
       events as (${sessionTaggedEventsCte('written')})
       select count(*)::int as tagged from written`,
      [workspaceId, benchId('wtag', tag), sessions],
    ),
  );
  const tagged = value.rows[0]?.tagged;
  if (tagged !== sessions.length) throw new Error(`raw bulk tagged ${tagged} of ${sessions.length}`);
  return ms;
}

export type BulkFigures = { size: number; apiMs: number; rawMs: number };

/**
 * 10,000 (median of 3, each on a fresh tag) and 100,000 entities; the API works on contacts
 * 800,000+ and the raw statement on contacts 900,000+ (scaled), so both do the same new work.
 */
export async function bulkBenchmarks(target: Api, sql: Sql, workspaceId: number): Promise<BulkFigures[]> {
  const apiFrom = Math.round(config.contacts * 0.8);
  const rawFrom = Math.round(config.contacts * 0.9);
  const span = Math.min(100_000, Math.round(config.contacts * 0.1));
  const small = Math.min(10_000, span);
  const api10: number[] = [];
  const raw10: number[] = [];
  for (const tag of [150, 151, 152]) {
    api10.push(await bulkTagApi(target, workspaceId, tag, sessionsOf(apiFrom, small)));
    raw10.push(await bulkTagRaw(sql, workspaceId, tag, sessionsOf(rawFrom, small)));
  }
  const api100 = await bulkTagApi(target, workspaceId, 160, sessionsOf(apiFrom, span));
  const raw100 = await bulkTagRaw(sql, workspaceId, 160, sessionsOf(rawFrom, span));
  return [
    { size: small, apiMs: median(api10), rawMs: median(raw10) },
    { size: span, apiMs: api100, rawMs: raw100 },
  ];
}
