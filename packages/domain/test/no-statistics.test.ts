import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { EntityManager } from '../src/db/database.ts';
import { moveEntityTagsToTarget, recomputeInherited, releaseDirect } from '../src/entity-tags/entity-tag-store.ts';
import { contactHasTag } from '../src/entity-tags/propagation.ts';
import { excludedTagsSql, tagFilterSql, type ExclusionWalk } from '../src/filters/tag-filter-sql.ts';
import { tagFilterTotalSql } from '../src/filters/tag-filter-total.ts';
import { openTestDatabase, stripStatistics, type TestDatabase } from '../testing/test-database.ts';

/**
 * Set-based writes stay linear when the tables have no statistics: right after a bulk grew
 * `entity_tag` and before its first analyze, the planner guesses "a few rows" everywhere. Two
 * statements then went quadratic (session 11): releasing 10,000 sessions' direct rows probed
 * `entity_tag_tag_idx` by tag alone per session (6 s instead of 0.5 s), and a merge counted its
 * moved rows with a nested loop over two sets it thought had 2 rows each (238 million
 * comparisons, 32 s). Each statement here runs under `EXPLAIN (ANALYZE, BUFFERS)` with the
 * statistics removed, in a transaction that is rolled back, and its work (buffers touched plus
 * rows read and filtered away, over every node and loop) must stay within a bound per row written
 * (quadratic plans cost hundreds of times more), and no index probe repeated per row may leave a
 * column of its index free.
 */
let test: TestDatabase;
beforeAll(async () => {
  test = await openTestDatabase(inject('testDatabaseTemplate'));
}, 60_000);
afterAll(() => test.dispose());

const workspace = 970;
const sessions = 10_000;
const contacts = 5000;
const sessionId = (i: number) => `wses_${String(i).padStart(6, '0')}`;
const contactId = (i: number) => `contact_${String(i).padStart(6, '0')}`;

type PlanNode = {
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Join Filter'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
};

/** Rows each node produced or threw away, over all its loops, plus the buffers it touched itself. */
function work(node: PlanNode): number {
  const loops = node['Actual Loops'] ?? 1;
  const rows =
    ((node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Join Filter'] ?? 0)) *
    loops;
  const children = node.Plans ?? [];
  // Buffers are cumulative (a node's include its children's): count the difference.
  const own =
    (node['Shared Hit Blocks'] ?? 0) +
    (node['Shared Read Blocks'] ?? 0) -
    children.reduce((sum, child) => sum + (child['Shared Hit Blocks'] ?? 0) + (child['Shared Read Blocks'] ?? 0), 0);
  return rows + Math.max(own, 0) + children.reduce((sum, child) => sum + work(child), 0);
}

/** The columns of each index of `entity_tag`, in order. */
let indexColumns = new Map<string, string[]>();

/**
 * The repeated index probes (a node run more than once) whose condition constrains a column after
 * one it leaves free: each probe reads every entry of the bound prefix and tests the rest one by
 * one (with the source type before the entity, a probe for one contact's row of a tag read every
 * row of the tag, once per session). A single scan that skips a column is linear, and allowed.
 */
function skippingProbes(node: PlanNode): string[] {
  const cond = node['Index Cond'] ?? '';
  const columns = indexColumns.get(node['Index Name'] ?? '') ?? [];
  const bound = columns.map((column) => new RegExp(`\\b${column} (=|>|<|>=|<=) `).test(cond));
  const prefix = bound.indexOf(false) === -1 ? bound.length : bound.indexOf(false);
  const repeated = (node['Actual Loops'] ?? 1) > 1;
  const own =
    repeated && bound.slice(prefix).some(Boolean) ? [`${node['Index Name'] ?? ''}: ${cond.slice(0, 200)}`] : [];
  return [...own, ...(node.Plans ?? []).flatMap(skippingProbes)];
}

/** What one statement cost: its work, and its skipping probes (see above). */
type StatementCost = { work: number; skippingProbes: string[] };

/**
 * Runs `act` in a transaction without statistics of the tables, every statement it sends run
 * under EXPLAIN ANALYZE instead (their results are plans, so `act` must only write), and rolls
 * it all back. Returns each statement's cost.
 */
async function costWithoutStatistics(act: (em: EntityManager) => Promise<unknown>): Promise<StatementCost[]> {
  const found: StatementCost[] = [];
  const rollback = new Error('rollback');
  await test.db
    .fork()
    .transactional(async (tx) => {
      await stripStatistics(tx);
      const explaining = new Proxy(tx, {
        get(target, property, receiver) {
          if (property !== 'execute') return Reflect.get(target, property, receiver) as unknown;
          return async (sql: string, params: unknown[]) => {
            const [row] = await target.execute<{ 'QUERY PLAN': unknown }[]>(
              `explain (analyze, buffers, format json) ${sql}`,
              params,
            );
            const plan = row?.['QUERY PLAN'];
            const [top] = (typeof plan === 'string' ? JSON.parse(plan) : plan) as { Plan: PlanNode }[];
            if (top) found.push({ work: work(top.Plan), skippingProbes: skippingProbes(top.Plan) });
            return [];
          };
        },
      });
      await act(explaining);
      throw rollback;
    })
    .catch((error: unknown) => {
      if (error !== rollback) throw error;
    });
  return found;
}

beforeAll(async () => {
  const em = test.db.fork();
  const columns = await em.execute<{ index: string; column: string }[]>(
    `select i.relname as index, a.attname as column
     from pg_index x
     join pg_class i on i.oid = x.indexrelid
     cross join lateral unnest(x.indkey) with ordinality k(attnum, n)
     join pg_attribute a on a.attrelid = x.indrelid and a.attnum = k.attnum
     where x.indrelid = 'entity_tag'::regclass
     order by i.relname, k.n`,
  );
  indexColumns = new Map();
  for (const { index, column } of columns) indexColumns.set(index, [...(indexColumns.get(index) ?? []), column]);
  await em.execute(`insert into workspace (id, name) values (?, 'No statistics')`, [workspace]);
  await em.execute(
    `insert into tag (workspace_id, id, name, name_key, "order")
     values (?, 'wtag_a', 'A', 'a', 1), (?, 'wtag_b', 'B', 'b', 2)`,
    [workspace, workspace],
  );
  await em.execute(
    `insert into contact (workspace_id, id, name)
     select ?, 'contact_' || lpad(i::text, 6, '0'), 'C' from generate_series(1, ?) i`,
    [workspace, contacts],
  );
  // Every session on contact 1, which has tag A (so they inherit it); every other contact has
  // tag B, and every session has B directly.
  await em.execute(
    `insert into session (workspace_id, id, contact_id)
     select ?, 'wses_' || lpad(i::text, 6, '0'), 'contact_000001' from generate_series(1, ?) i`,
    [workspace, sessions],
  );
  await em.execute(
    `insert into entity_tag (workspace_id, id, entity_type, entity_id, tag_id, source_type, source_entity_type, source_entity_id)
     select ?, 'etag_a_' || i, 'session', 'wses_' || lpad(i::text, 6, '0'), 'wtag_a', 'inherited', 'contact', 'contact_000001'
     from generate_series(1, ?) i
     union all
     select ?, 'etag_b_s' || i, 'session', 'wses_' || lpad(i::text, 6, '0'), 'wtag_b', 'direct', null, null
     from generate_series(1, ?) i
     union all
     select ?, 'etag_b_c' || i, 'contact', 'contact_' || lpad(i::text, 6, '0'), 'wtag_b', 'direct', null, null
     from generate_series(2, ?) i
     union all
     select ?, 'etag_a_c', 'contact', 'contact_000001', 'wtag_a', 'direct', null, null`,
    [workspace, sessions, workspace, sessions, workspace, contacts, workspace],
  );
}, 60_000);

const allSessions = Array.from({ length: sessions }, (_, i) => sessionId(i + 1));
/** A few units of work per row the statement writes, with room for the indexes' upper levels. */
const budget = 200 * sessions;

it("releases 10,000 sessions' direct rows in work linear in the rows", async () => {
  const found = await costWithoutStatistics((em) => releaseDirect(em, workspace, allSessions, ['wtag_b']));
  expect(found).toHaveLength(1);
  expect(found[0]?.work).toBeLessThan(budget);
  expect(found[0]?.skippingProbes).toEqual([]);
});

it("recomputes 10,000 sessions' inherited rows in work linear in the rows", async () => {
  const found = await costWithoutStatistics((em) => recomputeInherited(em, workspace, allSessions));
  expect(found).toHaveLength(2);
  for (const each of found) {
    expect(each.work).toBeLessThan(budget);
    expect(each.skippingProbes).toEqual([]);
  }
});

it('moves the rows of a merged tag in work linear in the rows', async () => {
  const found = await costWithoutStatistics((em) => moveEntityTagsToTarget(em, workspace, 'wtag_a', ['wtag_b']));
  expect(found).toHaveLength(1);
  expect(found[0]?.work).toBeLessThan(budget);
});

it("probes one contact's row of a tag in work independent of the tag's size", async () => {
  const found = await costWithoutStatistics((em) => contactHasTag(em, workspace, contactId(contacts), 'wtag_b'));
  expect(found).toHaveLength(1);
  // An exact probe touches a few index pages (6 here); reading the tag's 5,000 rows touched 79.
  expect(found[0]?.work).toBeLessThan(20);
  expect(found[0]?.skippingProbes).toEqual([]);
});

/**
 * A filter excluding a tag (lists, their totals, exports) probed each entity's rows in the
 * `(entity, tag)` unique key only when the planner knew the tag was large: with "a few rows"
 * guessed, it materialised the tag's rows and scanned all of them for every entity (session 24:
 * an export excluding a tag applied to 40,000 contacts ran into the statement timeout).
 */
it('excludes a tag in work linear in the entities, in a page, counts (probed, hashed, over the hashed limit) and a total', async () => {
  const exclude = (table: 'contact' | 'session', tagIds: string[], excludeTagIds: string[], walk: ExclusionWalk) =>
    tagFilterSql('r', table, workspace, { tagIds, excludeTagIds, match: 'any' }, walk);
  const page = exclude('contact', [], ['wtag_b'], 'window');
  const count = (where: string[], params: unknown[]) => ({
    sql: `select count(*)::int as total from contact r where r.workspace_id = ? and ${where.join(' and ')}`,
    params: [workspace, ...params],
  });
  const [probed, hashed] = (['window', 'whole'] as const).map((walk) => {
    const filter = exclude('contact', ['wtag_a', 'wtag_b'], ['wtag_b'], walk);
    return count(filter.where, filter.params);
  });
  // Past the hashed set's limit (10 rows here), a whole walk probes per entity.
  const included = exclude('contact', ['wtag_a', 'wtag_b'], [], 'whole');
  const overLimit = excludedTagsSql('whole', workspace, 'r.id', 'contact', ['wtag_b'], 10);
  const counts = [
    probed,
    hashed,
    count([...included.where, overLimit.sql], [...included.params, ...overLimit.params]),
    tagFilterTotalSql('contact', workspace, { tagIds: ['wtag_a', 'wtag_b'], excludeTagIds: ['wtag_b'], match: 'any' }),
    tagFilterTotalSql('session', workspace, { tagIds: ['wtag_b'], excludeTagIds: ['wtag_a'], match: 'any' }),
  ].flatMap((statement) => (statement ? [statement] : []));
  const found = await costWithoutStatistics(async (em) => {
    await em.execute(
      `select r.id from contact r where r.workspace_id = ? and ${page.where.join(' and ')} order by r.id limit 50`,
      [workspace, ...page.params],
    );
    for (const statement of counts) await em.execute(statement.sql, statement.params);
  });
  expect(found).toHaveLength(6);
  for (const each of found) {
    expect(each.work).toBeLessThan(budget);
    expect(each.skippingProbes).toEqual([]);
  }
  // Every form counts the same contacts: of 5,000 with either tag, the one without wtag_b (every
  // session has both tags).
  const totals = [];
  for (const statement of counts)
    totals.push((await test.db.fork().execute<{ total: number }[]>(statement.sql, statement.params))[0]?.total);
  expect(totals).toEqual([1, 1, 1, 1, 0]);
});
