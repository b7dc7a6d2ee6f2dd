import { describe, expect, it } from 'vitest';
import { databaseTarget } from '../src/database-target.ts';
import { readEnv } from '../src/env.ts';

/** How the environment chooses the database, and what the API's connections carry that the CLI's do not. */
describe('databaseTarget', () => {
  const url = 'postgres://postgres@127.0.0.1:5432/any';

  it('gives the API its statement timeout and a 5-minute idle connection lifetime by default', () => {
    expect(databaseTarget(readEnv({ DATABASE_URL: url }), { forServer: true })).toEqual({
      kind: 'postgres',
      url,
      poolSize: 10,
      statementTimeoutMs: 60_000,
      poolIdleMs: 300_000,
    });
    expect(
      databaseTarget(readEnv({ DATABASE_URL: url, DATABASE_POOL_IDLE_SECONDS: '30' }), { forServer: true }),
    ).toMatchObject({ poolIdleMs: 30_000 });
  });

  it('leaves the CLI with pg defaults, and refuses an idle lifetime that is not a positive number of seconds', () => {
    expect(databaseTarget(readEnv({ DATABASE_URL: url }))).toEqual({ kind: 'postgres', url, poolSize: 10 });
    expect(() => readEnv({ DATABASE_URL: url, DATABASE_POOL_IDLE_SECONDS: '0' })).toThrow(/DATABASE_POOL_IDLE_SECONDS/);
  });
});
