import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createWorkspaceWithKey } from '@tagging/domain';
import { openTestDatabase, type TestDatabase } from '@tagging/domain/testing';
import type {} from '../testing/global-setup.ts';
import { startApiProcess, type ApiProcess } from '../testing/api-process.ts';

/**
 * DATABASE_STATEMENT_TIMEOUT_MS: a statement that runs too long (here: waiting on a lock held
 * by another session) is cancelled by PostgreSQL and its request answered 503 with Retry-After,
 * instead of running on after its client has gone (a black-box attack found a filter over stale
 * statistics running for minutes). PostgreSQL only: PGlite has no second session to hold a lock.
 */
describe.skipIf(inject('testDatabaseTemplate').kind !== 'postgres')('statement timeout', () => {
  let database: TestDatabase;
  let api: ApiProcess;
  let authorization: string;
  beforeAll(async () => {
    database = await openTestDatabase(inject('testDatabaseTemplate'));
    authorization = `Bearer ${(await createWorkspaceWithKey(database.db.fork(), 'Timeout')).apiKey.secret}`;
    api = await startApiProcess({ DATABASE_URL: database.url ?? '', DATABASE_STATEMENT_TIMEOUT_MS: '300' });
  });
  afterAll(async () => {
    await api?.stop();
    await database?.dispose();
  });

  it('cancels a statement past the limit and answers 503 with Retry-After; the next request is fine', async () => {
    await database.db.fork().transactional(async (em) => {
      await em.execute('lock table tag in access exclusive mode');
      const response = await fetch(`${api.baseUrl}/api/tags`, { headers: { authorization } });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(await response.json()).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/in time/) });
    });
    expect((await fetch(`${api.baseUrl}/api/tags`, { headers: { authorization } })).status).toBe(200);
  });
});
