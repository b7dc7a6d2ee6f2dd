import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  maxOutageWaitMs,
  openDatabase,
  OutageBackoff,
  startBackgroundWorker,
  startEventWorker,
  type Database,
} from '../src/index.ts';

/**
 * While the database is unreachable the background loops wait longer and longer between passes
 * (up to `maxOutageWaitMs`), instead of a pass and an error line per idle interval (attack,
 * session 16: 34 error lines a second); other errors do not slow a loop.
 */
const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });

describe('OutageBackoff', () => {
  it('doubles the idle interval per pass that met the outage, up to the maximum, and starts over after one that did not', () => {
    const backoff = new OutageBackoff(100);
    const waits: (number | undefined)[] = [];
    for (let pass = 0; pass < 8; pass++) {
      expect(backoff.noteError(refused)).toBe(true);
      waits.push(backoff.endPass());
    }
    expect(waits).toEqual([200, 400, 800, 1600, 3200, maxOutageWaitMs, maxOutageWaitMs, maxOutageWaitMs]);
    expect(backoff.endPass()).toBeUndefined();
    backoff.noteError(refused);
    expect(backoff.endPass()).toBe(200);
  });

  it('is not slowed by errors other than an unreachable database', () => {
    const backoff = new OutageBackoff(100);
    expect(backoff.noteError(new Error('a job failed'))).toBe(false);
    expect(backoff.endPass()).toBeUndefined();
  });
});

describe('background loops while the database is unreachable', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({
      target: { kind: 'postgres', url: 'postgres://postgres@127.0.0.1:1/nowhere', poolSize: 1 },
    });
  });
  afterAll(() => db.close());

  it('try a few times in two seconds, not once per idle interval', async () => {
    const errors = { worker: 0, events: 0 };
    const worker = startBackgroundWorker(db, { idleMs: 50, onError: () => errors.worker++ });
    const events = startEventWorker(db, { sequenceEveryMs: 50, onError: () => errors.events++ });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await Promise.all([worker.stop(), events.stop()]);
    // Every 50 ms these would be ~40 passes each (the worker's pass meets two errors: the table
    // maintenance and the probe); backing off 100, 200, 400, 800 ms…, about 5.
    expect(errors.worker).toBeGreaterThan(0);
    expect(errors.events).toBeGreaterThan(0);
    expect(errors.worker).toBeLessThanOrEqual(16);
    expect(errors.events).toBeLessThanOrEqual(8);
  });
});
