import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTag, createWebhookEndpoint, createWorkspaceWithKey, noActor } from '@tagging/domain';
import { openTestDatabase, type TestDatabase } from '@tagging/domain/testing';
import type {} from '../testing/global-setup.ts';
import { startApiProcess, type ApiProcess } from '../testing/api-process.ts';
import { startWebhookReceiver } from './support/webhook-receiver.ts';

/**
 * kill -9 of the API while webhook deliveries are in flight, then a restart: every event is
 * delivered (at least once, the same `webhook-id` on a repeat), each signature verified. Two
 * processes over time need a shared database: PostgreSQL only.
 */
const onPostgres = inject('testDatabaseTemplate').kind === 'postgres';

let database: TestDatabase | undefined;
let running: ApiProcess | undefined;

beforeAll(async () => {
  if (onPostgres) database = await openTestDatabase(inject('testDatabaseTemplate'));
});
afterAll(async () => {
  await running?.kill();
  await database?.dispose();
});

const env = (url: string) => ({
  DATABASE_URL: url,
  WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
  WEBHOOK_TIMEOUT_MS: '1000',
  WEBHOOK_CONCURRENCY: '4',
  WEBHOOK_RETRY_BASE_MS: '100',
});

describe.runIf(onPostgres)('webhook deliveries across kill -9', () => {
  it('loses no event when the API dies mid-delivery', async () => {
    const db = database?.db;
    const url = database?.url;
    if (!db || !url) throw new Error('no database');
    const receiver = await startWebhookReceiver();
    receiver.slowDown(300);
    const { workspace } = await createWorkspaceWithKey(db.fork(), 'Crash deliveries');
    const endpoint = await createWebhookEndpoint(db.fork(), workspace.id, { url: receiver.url('/crash') });

    running = await startApiProcess(env(url));
    for (let i = 0; i < 40; i++) await createTag(db.fork(), workspace.id, { name: `crash-${i}` }, noActor);
    // Some deliveries answered, more in flight (the receiver is slow): now the process dies.
    await receiver.waitFor((all) => all.length >= 6);
    await running.kill();
    const beforeRestart = receiver.received.length;
    const [pending] = await db
      .fork()
      .execute<{ count: number }[]>(`select count(*)::int as count from webhook_delivery where status = 'pending'`);
    expect(pending?.count).toBeGreaterThan(0);

    running = await startApiProcess(env(url));
    receiver.slowDown(0);
    const events = await db
      .fork()
      .execute<{ id: string }[]>('select id from event where workspace_id = ? order by seq', [workspace.id]);
    expect(events).toHaveLength(40);
    const ids = new Set(events.map((e) => e.id));
    await receiver.waitFor((all) => new Set(all.map((r) => String(r.headers['webhook-id']))).size >= ids.size, 60_000);
    for (const request of receiver.received) receiver.verify(request, endpoint.secret);
    expect(new Set(receiver.received.map((r) => String(r.headers['webhook-id'])))).toEqual(ids);
    console.info(
      `  ${beforeRestart} requests before kill -9, ${receiver.received.length} in all for ${ids.size} events`,
    );
    await receiver.close();
  }, 120_000);
});
