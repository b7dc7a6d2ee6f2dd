import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import {
  findInvariantViolations,
  invariantPlannerSettings,
  invariantViolationsSql,
} from '../src/invariants/check-invariants.ts';
import { openTestDatabase, stripStatistics, type TestDatabase } from '../testing/test-database.ts';

/**
 * The inheritance audit (`findInvariantViolations`) reads whole tables: it must be planned with
 * hash joins whatever the statistics say. Taken right after a bulk grew `entity_tag` and before its
 * analyze (a race with the worker's table maintenance), the old audit probed `entity_tag` by
 * workspace alone once per session and ran for minutes on 24,000 sessions (CI, session 11).
 */
let test: TestDatabase;
beforeAll(async () => {
  test = await openTestDatabase(inject('testDatabaseTemplate'));
});
afterAll(() => test.dispose());

const sessions = 20_000;

it('is planned without nested loops or per-row subqueries when the tables have no statistics', async () => {
  const em = test.db.fork();
  await em.execute(`insert into workspace (id, name) values (960, 'Audit')`);
  await em.execute(`insert into tag (workspace_id, id, name, name_key, "order") values (960, 'wtag_a', 'A', 'a', 1)`);
  await em.execute(`insert into contact (workspace_id, id, name) values (960, 'contact_a', 'A')`);
  await em.execute(
    `insert into session (workspace_id, id, contact_id)
     select 960, 'wses_' || lpad(i::text, 6, '0'), 'contact_a' from generate_series(1, ?) i`,
    [sessions],
  );
  await em.execute(
    `insert into entity_tag (workspace_id, id, entity_type, entity_id, tag_id, source_type)
     values (960, 'etag_contact', 'contact', 'contact_a', 'wtag_a', 'direct')`,
  );
  await em.execute(
    `insert into entity_tag (workspace_id, id, entity_type, entity_id, tag_id, source_type, source_entity_type, source_entity_id)
     select 960, 'etag_' || i, 'session', 'wses_' || lpad(i::text, 6, '0'), 'wtag_a', 'inherited', 'contact', 'contact_a'
     from generate_series(1, ?) i`,
    [sessions],
  );
  // As before the first analyze: no statistics, and sizes the planner must guess.
  await stripStatistics(em);

  const plan = await em.transactional(async (tx) => {
    for (const setting of invariantPlannerSettings) await tx.execute(setting);
    const rows = await tx.execute<{ 'QUERY PLAN': string }[]>(`explain (costs off) ${invariantViolationsSql}`);
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  });
  expect(plan).not.toMatch(/Nested Loop/);
  expect(plan).not.toMatch(/SubPlan/);
  expect(await findInvariantViolations(test.db.fork())).toEqual([]);
});

it('finds a row breaking each rule', async () => {
  const em = test.db.fork();
  await em.execute(`insert into tag (workspace_id, id, name, name_key, "order") values (960, 'wtag_b', 'B', 'b', 2)`);
  await em.execute(`insert into contact (workspace_id, id, name) values (960, 'contact_b', 'B')`);
  await em.execute(`delete from entity_tag where workspace_id = 960 and id = 'etag_1'`);
  await em.execute(
    `insert into entity_tag (workspace_id, id, entity_type, entity_id, tag_id, source_type, source_entity_type, source_entity_id)
     values (960, 'etag_unjustified', 'session', 'wses_000002', 'wtag_b', 'inherited', 'contact', 'contact_a'),
            (960, 'etag_sourced', 'session', 'wses_000003', 'wtag_b', 'direct', 'contact', 'contact_a'),
            (960, 'etag_orphan', 'contact', 'contact_b', 'wtag_b', 'inherited', null, null),
            (960, 'etag_gone_contact', 'contact', 'contact_gone', 'wtag_b', 'direct', null, null),
            (960, 'etag_gone_session', 'session', 'wses_gone', 'wtag_b', 'direct', null, null)`,
  );
  const found = (await findInvariantViolations(test.db.fork()))
    .map((row) => `${row.problem}: ${row.entity_id} ${row.tag_id}`)
    .sort();
  expect(found).toEqual([
    'contact row inherited from no session: contact_b wtag_b',
    'direct row with a source: wses_000003 wtag_b',
    'inherited row not justified by the contact: wses_000002 wtag_b',
    'row of a missing entity: contact_gone wtag_b',
    'row of a missing entity: wses_gone wtag_b',
    'session lacks a tag of its contact: wses_000001 wtag_a',
  ]);
});
