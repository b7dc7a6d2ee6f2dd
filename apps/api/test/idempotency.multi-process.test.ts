import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createWorkspaceWithKey } from '@tagging/domain';
import { sharedDatabaseForProcesses, type ApiProcess } from '../testing/api-process.ts';

/**
 * Issue 19: an Idempotency-Key holds across API processes, since it is kept in PostgreSQL. Two
 * processes on one database get the same key at once, then each gets it again. Two processes
 * need a database they can share: PostgreSQL only.
 */
const shared = sharedDatabaseForProcesses();
const onPostgres = shared.onPostgres;
if (!onPostgres) console.info('idempotency.multi-process: skipped, it needs PostgreSQL (set DATABASE_URL)');

describe.runIf(onPostgres)('Idempotency-Key across two API processes (PostgreSQL only)', () => {
  it('creates once when both processes get the key at the same time, and both replay it', async () => {
    const { db } = shared.database();
    const { workspace, apiKey } = await createWorkspaceWithKey(db.fork(), 'Two processes');
    const env = { DATABASE_POOL_SIZE: '4' };
    const apis = await Promise.all([shared.start(env), shared.start(env)]);

    const key = randomUUID();
    const send = async (api: ApiProcess) => {
      const response = await fetch(`${api.baseUrl}/api/contacts`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${apiKey.secret}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body: JSON.stringify({ externalId: 'two-processes' }),
      });
      return {
        status: response.status,
        body: (await response.json()) as unknown,
        replayed: response.headers.get('idempotent-replayed'),
      };
    };

    const [a, b] = await Promise.all(apis.map(send));
    const statuses = [a?.status, b?.status].sort();
    // One ran; the other found it running (409) or, if it came second, replayed it (201).
    expect(statuses[0]).toBe(201);
    expect([201, 409]).toContain(statuses[1]);
    const created = [a, b].find((response) => response?.status === 201 && response.replayed === null);
    expect(created).toBeDefined();

    for (const api of apis) {
      const again = await send(api);
      expect(again).toEqual({ status: 201, body: created?.body, replayed: 'true' });
    }
    const [row] = await db
      .fork()
      .execute<{ count: number }[]>('select count(*)::int as count from contact where workspace_id = ?', [
        workspace.id,
      ]);
    expect(row?.count).toBe(1);
    expect(apis.flatMap((api) => api.errorLogs)).toEqual([]);
  }, 90_000);
});
