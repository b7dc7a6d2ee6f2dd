import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { hasUnnumberedEvents, sequenceEvents } from '../src/events/event-sequencer.ts';
import { startEventWorker } from '../src/events/event-worker.ts';
import { openTestDatabase, type TestDatabase } from '../testing/test-database.ts';

/**
 * The sequencer's look for unnumbered events (issue 20): every event it numbers leaves a dead
 * entry in the partial index of unnumbered events until a vacuum, and it looks 20 times a
 * second. Its scan must mark those entries dead as it meets them (an index scan does, a bitmap
 * scan does not), so that later passes step over them instead of visiting each one's old row.
 */
let test: TestDatabase;
beforeAll(async () => {
  test = await openTestDatabase(inject('testDatabaseTemplate'));
});
afterAll(() => test.dispose());

/** Buffers read by the sequencer's own look for pending events (or its idle probe's), run as an index scan. */
async function bufferHitsOfPendingScan(
  statement = 'select workspace_id, id, type, occurred_at from event where seq is null order by occurred_at, id limit 5000',
): Promise<number> {
  return test.db.fork().transactional(async (em) => {
    await em.execute('set local enable_bitmapscan = off');
    const plan = await em.execute<{ 'QUERY PLAN': string }[]>(
      `explain (analyze, buffers, costs off, timing off) ${statement}`,
    );
    const line = plan.map((row) => row['QUERY PLAN']).find((text) => /Buffers: shared/.test(text)) ?? '';
    return Number(/hit=(\d+)/.exec(line)?.[1] ?? 0) + Number(/read=(\d+)/.exec(line)?.[1] ?? 0);
  });
}

it('leaves the index entries of the events it numbered marked dead for the next pass', async () => {
  const em = test.db.fork();
  await em.execute(`insert into workspace (id, name) values (950, 'Sequencer scan')`);
  // As after a busy hour without a vacuum: many events, all numbered, and no statistics of the
  // table's rows (the planner then expects a small share of them pending, scattered: a bitmap scan).
  await em.execute(
    `insert into event (workspace_id, id, type, payload, occurred_at)
     select 950, 'evt_scan_' || lpad(i::text, 6, '0'), 'tag.created', jsonb_build_object('pad', repeat('x', 200)),
            now() - (i || ' ms')::interval
     from generate_series(1, 40000) i`,
  );
  let numbered = 0;
  for (let pass = 0; pass < 10 && numbered < 40000; pass++) numbered += await sequenceEvents(test.db);
  expect(numbered).toBe(40000);
  // The next passes find nothing; the first of them meets the 40,000 dead entries.
  expect(await sequenceEvents(test.db)).toBe(0);
  expect(await sequenceEvents(test.db)).toBe(0);
  // Marked dead, they cost the index's leaf pages (355 buffers), not a visit of each old row (2,191).
  expect(await bufferHitsOfPendingScan()).toBeLessThan(1000);
});

/** The idle probe's statement (`hasUnnumberedEvents`). */
const probe = 'select id from event where seq is null order by occurred_at, id limit 1';

/** Inserts `count` unnumbered events of workspace 950 with ids after `from`. */
async function insertEvents(from: number, count: number): Promise<void> {
  await test.db.fork().execute(
    `insert into event (workspace_id, id, type, payload, occurred_at)
     select 950, 'evt_idle_' || lpad(i::text, 6, '0'), 'tag.created', '{}'::jsonb, now() - (i || ' ms')::interval
     from generate_series(?::int, ?::int) i`,
    [from + 1, from + count],
  );
}

/** Runs the event worker until the events are numbered and it has been idle for `idleMs`. */
async function numberThenIdle(idleVacuumAfter: number, idleMs: number): Promise<void> {
  const worker = startEventWorker(test.db, { sequenceEveryMs: 5, idleVacuumAfter });
  try {
    const deadline = Date.now() + 20_000;
    while ((await hasUnnumberedEvents(test.db)) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, idleMs));
  } finally {
    await worker.stop();
  }
}

it('vacuums the event table once it falls idle after numbering many events, so the idle probe reads a page or two', async () => {
  // Without the idle vacuum (threshold out of reach), the numbered events' dead entries stay and
  // every probe steps over them.
  await insertEvents(0, 20_000);
  await numberThenIdle(Number.POSITIVE_INFINITY, 600);
  const withoutVacuum = await bufferHitsOfPendingScan(probe);
  expect(withoutVacuum).toBeGreaterThan(50);
  // With it: the worker numbers 20,000 (over its threshold), finds nothing for twenty passes
  // (5 ms apart here), and vacuums.
  await insertEvents(20_000, 20_000);
  await numberThenIdle(10_000, 1500);
  expect(await bufferHitsOfPendingScan(probe)).toBeLessThanOrEqual(3);
});
