import { config } from './config.ts';
import { benchId, benchIdSql, sessionNumber } from './ids.ts';
import type { Api } from './http.ts';
import { load, type LoadResult, type NextRequest } from './load.ts';
import { pgbench, type PgbenchResult } from './pgbench.ts';
import { hotStatements } from '@tagging/domain';

/**
 * Every request tags a different (session, tag) pair that is not yet a direct tag (sessions only
 * inherit at the start), so each one inserts or upgrades a row: no 409s. Contacts
 * `[from, from + span)` give their first session; the tag cycles over every tag.
 */
export function tagSessionRequests(
  workspaceId: number,
  from: number,
  span: number,
  kind: 'rest' | 'trpc',
): () => NextRequest {
  let i = 0;
  return () => {
    const session = benchId('wses', sessionNumber(from + (i % span), 1));
    const tagId = benchId('wtag', 1 + ((i + Math.floor(i / span)) % config.tags));
    i++;
    return kind === 'rest'
      ? {
          method: 'POST',
          path: `/api/entity-tags/sessions/${session}/tags?workspaceId=${workspaceId}`,
          body: JSON.stringify({ tagId }),
        }
      : {
          method: 'POST',
          path: '/trpc/entityTags.tagSession',
          body: JSON.stringify({ workspaceId, sessionId: session, tagId }),
        };
  };
}

export const runLoad = (target: Api, next: () => NextRequest, seconds = config.loadSeconds): Promise<LoadResult> =>
  load({ baseUrl: target.baseUrl, headers: target.headers, connections: config.connections, seconds, next });

const sessionExpr = benchIdSql('wses', 'cast(:s as bigint)');
const tagExpr = benchIdSql('wtag', 'cast(:t as int)');

/**
 * The service's own statement for tagging a session (`hotStatements.tagSession`: the session's
 * lock, the tag's existence and the make-direct upsert in one statement), autocommit, with the
 * script's id expressions in place of its parameters; pgbench runs it prepared (`-M prepared`).
 */
const serviceScript = `\\set c random(:lo, :hi)
\\set s :c * 64 + 1
\\set t random(1, ${config.tags})
${hotStatements.tagSession.replace(/\$(\d+)/g, (_, n: string) => [':w', sessionExpr, ':w', tagExpr, "'key_bench'"][Number(n) - 1] ?? 'null')};
`;

/** The bare upsert alone (no lock, no tag check): what the statement costs beyond the write. */
const minimalScript = `\\set c random(:lo, :hi)
\\set s :c * 64 + 1
\\set t random(1, ${config.tags})
insert into entity_tag (workspace_id, id, entity_type, entity_id, tag_id, source_type)
values (:w, 'etag_' || tagging_uuid_v7()::text, 'session', ${sessionExpr}, ${tagExpr}, 'direct')
on conflict (workspace_id, entity_type, entity_id, tag_id) do update
  set source_type = 'direct', source_entity_type = null, source_entity_id = null
  where entity_tag.source_type <> 'direct'
returning *;
`;

export function rawTagSession(
  url: string,
  workspaceId: number,
  from: number,
  span: number,
  exact: boolean,
): Promise<PgbenchResult> {
  return pgbench({
    url,
    script: exact ? serviceScript : minimalScript,
    clients: config.connections,
    seconds: config.loadSeconds,
    variables: { w: workspaceId, lo: from, hi: from + span - 1 },
  });
}
