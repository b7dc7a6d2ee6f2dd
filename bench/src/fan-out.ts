import { timed, type Sql } from './db.ts';
import { expectStatus, type Api } from './http.ts';
import { benchId } from './ids.ts';

export type FanOut = { sessions: number; tagMs: number; untagMs: number; tagged: number; untagged: number };

const contact = benchId('contact', 1);

/** Tag then untag contact 1 (1,000,000 sessions) over REST, synchronously (high PROPAGATION_SYNC_LIMIT). */
export async function fanOutApi(target: Api, workspaceId: number, tag: number): Promise<FanOut> {
  const tagId = benchId('wtag', tag);
  const tagged = await timed(() =>
    target.call<{ propagatedToSessions: number; deferred?: unknown }>(
      'POST',
      `/api/entity-tags/contacts/${contact}/tags?workspaceId=${workspaceId}`,
      { tagId },
    ),
  );
  expectStatus('tag contact', tagged.value.status, [201], tagged.value.body);
  if (tagged.value.body.deferred) throw new Error('the propagation was deferred: raise PROPAGATION_SYNC_LIMIT');
  const untagged = await timed(() =>
    target.call<{ removedFromSessions: number }>(
      'DELETE',
      `/api/entity-tags/contacts/${contact}/tags/${tagId}?workspaceId=${workspaceId}`,
    ),
  );
  expectStatus('untag contact', untagged.value.status, [200], untagged.value.body);
  return {
    sessions: tagged.value.body.propagatedToSessions,
    tagMs: tagged.ms,
    untagMs: untagged.ms,
    tagged: tagged.value.body.propagatedToSessions,
    untagged: untagged.value.body.removedFromSessions,
  };
}

/** The hand-written statements: one insert ... select for the fan-out, one delete for the fan-in. */
export async function fanOutRaw(sql: Sql, workspaceId: number, tag: number): Promise<FanOut> {
  const tagId = benchId('wtag', tag);
  const tagged = await timed(() =>
    sql.query(
      `insert into entity_tag (workspace_id, id, entity_type, entity_id, tag_id, source_type, source_entity_type, source_entity_id)
       select s.workspace_id, 'etag_' || tagging_uuid_v7()::text, 'session', s.id, $3, 'inherited', 'contact', s.contact_id
       from session s where s.workspace_id = $1 and s.contact_id = $2
       on conflict (workspace_id, entity_type, entity_id, tag_id) do nothing`,
      [workspaceId, contact, tagId],
    ),
  );
  const untagged = await timed(() =>
    sql.query(
      `delete from entity_tag where workspace_id = $1 and source_entity_type = 'contact' and source_entity_id = $2
         and tag_id = $3 and entity_type = 'session' and source_type = 'inherited'`,
      [workspaceId, contact, tagId],
    ),
  );
  return {
    sessions: tagged.value.rowCount ?? 0,
    tagMs: tagged.ms,
    untagMs: untagged.ms,
    tagged: tagged.value.rowCount ?? 0,
    untagged: untagged.value.rowCount ?? 0,
  };
}

/** `jobMs` and `jobSessions` are the job's own (queued to done, by its timestamps); `sessions` counts the request's rows too. */
export type Deferred = { requestMs: number; jobMs: number; jobSessions: number; sessions: number };

type DeferredAnswer = { deferred?: { jobId: string }; propagatedToSessions?: number; removedFromSessions?: number };
type Job = { status: string; processedSessions: number; error: string | null; createdAt: string; updatedAt: string };

async function waitForJob(target: Api, workspaceId: number, jobId: string): Promise<Job> {
  for (;;) {
    const { status, body } = await target.call<Job>('GET', `/api/entity-tags/jobs/${jobId}?workspaceId=${workspaceId}`);
    expectStatus('job status', status, [200], body);
    if (body.status === 'done') return body;
    if (body.status === 'failed') throw new Error(`propagation job failed: ${body.error ?? ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Tag and untag contact 1 with the default PROPAGATION_SYNC_LIMIT: the request, then the background job. */
export async function fanOutDeferred(
  target: Api,
  workspaceId: number,
  tag: number,
): Promise<{ tag: Deferred; untag: Deferred }> {
  const tagId = benchId('wtag', tag);
  const measure = async (method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<Deferred> => {
    const answer = await timed(() => target.call<DeferredAnswer>(method, path, body));
    expectStatus(`${method} contact tag`, answer.value.status, [200, 201], answer.value.body);
    const jobId = answer.value.body.deferred?.jobId;
    if (!jobId) throw new Error('the propagation was not deferred');
    const job = await waitForJob(target, workspaceId, jobId);
    // An untag removes up to the limit + 1 rows in the request itself; the job the rest.
    const inRequest = answer.value.body.removedFromSessions ?? answer.value.body.propagatedToSessions ?? 0;
    return {
      requestMs: answer.ms,
      jobMs: Date.parse(job.updatedAt) - Date.parse(job.createdAt),
      jobSessions: job.processedSessions,
      sessions: inRequest + job.processedSessions,
    };
  };
  // The server was just started: the same two routes once on an ordinary contact first, so
  // the timed requests do not pay for compiling their code paths.
  const warm = benchId('contact', 100);
  for (const [method, path] of [
    ['POST', `/api/entity-tags/contacts/${warm}/tags?workspaceId=${workspaceId}`],
    ['DELETE', `/api/entity-tags/contacts/${warm}/tags/${tagId}?workspaceId=${workspaceId}`],
  ] as const) {
    const answer = await target.call(method, path, method === 'POST' ? { tagId } : undefined);
    expectStatus(`warm-up ${method} contact tag`, answer.status, [200, 201], answer.body);
  }
  const tagged = await measure('POST', `/api/entity-tags/contacts/${contact}/tags?workspaceId=${workspaceId}`, {
    tagId,
  });
  const untagged = await measure(
    'DELETE',
    `/api/entity-tags/contacts/${contact}/tags/${tagId}?workspaceId=${workspaceId}`,
  );
  return { tag: tagged, untag: untagged };
}
