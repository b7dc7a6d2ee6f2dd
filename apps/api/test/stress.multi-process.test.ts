import { describe, expect, it } from 'vitest';
import {
  bulkUpsertContacts,
  bulkUpsertSessions,
  createTag,
  createWebhookEndpoint,
  noActor,
  createWorkspaceWithKey,
  findEventFeedViolations,
  findInvariantViolations,
  pendingJobCount,
} from '@tagging/domain';
import type { TestDatabase } from '@tagging/domain/testing';
import { sharedDatabaseForProcesses } from '../testing/api-process.ts';
import { runStressWriters, seededRandom, stressOperations, type StressCall } from './support/stress-workload.ts';
import { startWebhookReceiver } from './support/webhook-receiver.ts';

/**
 * Two API processes on one PostgreSQL database, ten writers spread over them doing every kind of
 * write on 6 contacts, 20 sessions and 5 tags, with deferred propagation at a low threshold so
 * that both processes' background workers race the requests too. Afterwards: no response of
 * status 500, no error logged by either process, no failed job, and the inheritance rules hold.
 * Change events too (issue 17): the event feed rebuilds every entity's own tags, and a webhook
 * receiver on 127.0.0.1 got every event, each signature verified, whichever process sent it.
 * Two processes need a database they can share: PostgreSQL only.
 */
const shared = sharedDatabaseForProcesses();
const onPostgres = shared.onPostgres;
if (!onPostgres) console.info('stress.multi-process: skipped, it needs PostgreSQL (set DATABASE_URL)');

const writers = 10;
const maxRequests = 2500;
const maxMilliseconds = 20_000;
const seed = Number(process.env.STRESS_SEED ?? Date.now() % 100_000);

describe.runIf(onPostgres)('two API processes under concurrent writers (PostgreSQL only)', () => {
  it('never answer 500 and leave the inheritance rules intact', async () => {
    const { db } = shared.database();
    const { workspace, apiKey } = await createWorkspaceWithKey(db.fork(), 'Stress');
    const tags: string[] = [];
    for (let slot = 0; slot < 5; slot++)
      tags.push((await createTag(db.fork(), workspace.id, { name: `t-${slot}` }, noActor)).id);
    const contacts = await bulkUpsertContacts(db.fork(), workspace.id, {
      contacts: Array.from({ length: 6 }, (_, slot) => ({ externalId: `c-${slot}` })),
    });
    const sessions = await bulkUpsertSessions(db.fork(), workspace.id, {
      sessions: Array.from({ length: 20 }, (_, slot) => ({
        externalId: `s-${slot}`,
        contactExternalId: `c-${slot % 6}`,
      })),
    });
    const pools = {
      tags,
      contacts: contacts.ids.filter((id): id is string => id !== null),
      sessions: sessions.ids.filter((id): id is string => id !== null),
    };

    // Contacts with more than 3 sessions hand their fan-out to the background workers, 2 sessions
    // per batch, so jobs and requests interleave on the same contacts.
    // A small pool each: the shared server serves other test files at the same time.
    const env = {
      PROPAGATION_SYNC_LIMIT: '3',
      PROPAGATION_BATCH_SIZE: '2',
      DATABASE_POOL_SIZE: '8',
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_RETRY_BASE_MS: '100',
    };
    const receiver = await startWebhookReceiver();
    // Some deliveries fail once: retries go on while the writers write.
    receiver.answer(({ count, messageId }) => (count === 1 && messageId.endsWith('7') ? 500 : 200));
    const endpoint = await createWebhookEndpoint(db.fork(), workspace.id, { url: receiver.url('/stress') });
    const apis = await Promise.all([shared.start(env), shared.start(env)]);
    const calls: StressCall[] = apis.map((api) => async (method, path, body) => {
      const response = await fetch(`${api.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${apiKey.secret}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    });

    const random = seededRandom(seed);
    const outcome = await runStressWriters({
      calls,
      writers,
      maxRequests,
      deadline: Date.now() + maxMilliseconds,
      operations: stressOperations(workspace.id, pools, random),
      random,
    });
    console.info(
      `stress seed ${seed}: ${outcome.requests} requests over ${apis.length} processes; statuses ${JSON.stringify(outcome.statuses)}`,
    );
    for (const [operation, counts] of Object.entries(outcome.byOperation))
      console.info(`  ${operation}: ${JSON.stringify(counts)}`);

    // Both workers finish what the requests deferred.
    for (let i = 0; i < 300 && (await pendingJobCount(db.fork())) > 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await pendingJobCount(db.fork())).toBe(0);
    const jobs = await db
      .fork()
      .execute<{ status: string; count: number }[]>(
        'select status, count(*)::int as count from propagation_job group by status order by status',
      );
    console.info(`  propagation jobs: ${JSON.stringify(jobs)}`);
    const errorLogs = apis.flatMap((api) => api.errorLogs);
    for (const line of new Set(errorLogs.map(summarizeLogLine))) console.info(`  logged: ${line}`);

    expect(outcome.failures).toEqual([]);
    expect(jobs.filter((job) => job.status !== 'done')).toEqual([]);
    expect(errorLogs).toEqual([]);
    // The workload did write: most requests were accepted, not refused.
    const accepted = (outcome.statuses[200] ?? 0) + (outcome.statuses[201] ?? 0);
    expect(accepted).toBeGreaterThan(outcome.requests / 3);
    const violations = await findInvariantViolations(db.fork());
    if (violations.length > 0) console.info(await explainViolations(db, violations));
    expect(violations).toEqual([]);

    // Every committed change has its event, and the feed rebuilds each entity's own tags.
    const unfinished = async () => {
      const [row] = await db.fork().execute<{ count: number }[]>(
        `select ((select count(*) from event where seq is null)
              + (select count(*) from webhook_delivery where status = 'pending'))::int as count`,
      );
      return row?.count ?? 0;
    };
    for (let i = 0; i < 600 && (await unfinished()) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await unfinished()).toBe(0);
    expect(await findEventFeedViolations(db.fork())).toEqual([]);
    // Every event reached the receiver (at least once), signed with the endpoint's secret.
    const events = await db
      .fork()
      .execute<{ id: string }[]>('select id from event where workspace_id = ? order by seq', [workspace.id]);
    const delivered = receiver.received.filter((r) => r.status === 200);
    for (const request of delivered) receiver.verify(request, endpoint.secret);
    expect(new Set(delivered.map((r) => String(r.headers['webhook-id'])))).toEqual(new Set(events.map((e) => e.id)));
    console.info(`  events: ${events.length}, webhook requests: ${receiver.received.length}`);
    await receiver.close();
  }, 120_000);
});

/** A log line as its message and error, without the stack (enough to tell failures apart). */
function summarizeLogLine(line: string): string {
  try {
    const entry = JSON.parse(line) as { msg?: string; err?: { type?: string; message?: string; stack?: string } };
    const domainFrames = (entry.err?.stack ?? '').split('\n').filter((frame) => frame.includes('packages/domain/src'));
    return `${entry.msg ?? ''}: ${entry.err?.type ?? ''} ${entry.err?.message ?? ''} ${domainFrames.slice(0, 3).join(' <')}`;
  } catch {
    return line.slice(0, 300);
  }
}

/** What a failure needs to be understood: each broken row, its session, the contact's row, their jobs. */
async function explainViolations(db: TestDatabase['db'], violations: { entity_id: string; tag_id: string }[]) {
  const lines: string[] = [];
  for (const { entity_id: entityId, tag_id: tagId } of violations) {
    const em = db.fork();
    const [row] = await em.execute('select * from entity_tag where entity_id = ? and tag_id = ?', [entityId, tagId]);
    const [session] = await em.execute(
      'select id, contact_id, external_id, created_at, updated_at from session where id = ?',
      [entityId],
    );
    const contacts = [row?.source_entity_id, session?.contact_id].filter(Boolean);
    const contactRows = await em.execute(
      `select * from entity_tag where entity_type = 'contact' and tag_id = ? and entity_id in (?)`,
      [tagId, contacts.length ? contacts : ['']],
    );
    const jobs = await em.execute(
      'select kind, contact_id, status, created_at, updated_at from propagation_job where tag_id = ?',
      [tagId],
    );
    lines.push(JSON.stringify({ row, session, contactRows, jobs }));
  }
  return lines.join('\n');
}
