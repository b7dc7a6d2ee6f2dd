import { benchIdSql, bigSessionBase } from './ids.ts';
import { since, type Sql } from './db.ts';

export type WorkspaceShape = {
  workspaceId: number;
  contacts: number;
  tags: number;
  /** Session counts of the large contacts, numbered 1..n; ordinary contacts follow. */
  bigContacts: readonly number[];
};

export type LoadReport = { contacts: number; sessions: number; entityTags: number; tags: number; ms: number };

const loadedTables = ['contact', 'session', 'entity_tag'];

/**
 * Secondary indexes and unique constraints of the loaded tables, read from the catalog so that
 * they come back exactly as the migrations made them. Building them after the load is several
 * times faster than maintaining them row by row.
 */
async function dropSecondaryIndexes(sql: Sql): Promise<string[]> {
  const tables = loadedTables.map((t) => `'${t}'::regclass`).join(', ');
  const constraints = await sql.query<{ name: string; table: string; def: string }>(
    `select conname as name, conrelid::regclass::text as table, pg_get_constraintdef(oid) as def
     from pg_constraint where contype = 'u' and conrelid in (${tables})`,
  );
  const indexes = await sql.query<{ name: string; def: string }>(
    `select indexrelid::regclass::text as name, pg_get_indexdef(indexrelid) as def from pg_index i
     where indrelid in (${tables}) and not indisprimary
       and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`,
  );
  const restore: string[] = [];
  for (const c of constraints.rows) {
    await sql.query(`alter table ${c.table} drop constraint ${c.name}`);
    restore.push(`alter table ${c.table} add constraint ${c.name} ${c.def}`);
  }
  for (const i of indexes.rows) {
    await sql.query(`drop index ${i.name}`);
    restore.push(i.def);
  }
  return restore;
}

/**
 * Loads one workspace, set-based (a handful of `insert ... select generate_series` statements):
 * - tags 1..T, picked with a power law (`T * random()^4`: tag 1 is on about a quarter of the
 *   tagged contacts, the tail is rare);
 * - contacts 1..N; contacts 1..B are the large ones (e.g. 1,000,000 and 100,000 sessions);
 *   the others have 1-3 sessions (1: ~57%, 2: ~35%, 3: ~5%), 1% have 5-49;
 * - each ordinary contact has 0-3 direct tags (mean ~1.1) and its sessions inherit them;
 *   the large contacts start untagged (the harness tags them).
 */
async function loadWorkspace(sql: Sql, shape: WorkspaceShape): Promise<void> {
  const { workspaceId: w, contacts, tags, bigContacts } = shape;
  const first = bigContacts.length + 1;
  await sql.query(
    // ASCII names: their comparison key (tagNameKey) is their lower case.
    `insert into tag (workspace_id, id, name, name_key, "order")
     select ${w}, ${benchIdSql('wtag', 't')}, 'Tag ' || t, 'tag ' || t, t from generate_series(1, ${tags}) t`,
  );
  await sql.query(
    `insert into contact (workspace_id, id, name, external_id)
     select ${w}, ${benchIdSql('contact', 'c')}, 'Contact ' || c, 'crm-' || c from generate_series(1, ${contacts}) c`,
  );
  await sql.query('drop table if exists bench_cs; drop table if exists bench_ct');
  await sql.query(
    `create temp table bench_cs as
     select c, case when random() < 0.01 then 5 + floor(random() * 45)::int
                    else 1 + (random() < 0.38)::int + (random() < 0.12)::int end as k
     from generate_series(${first}, ${contacts}) c`,
  );
  await sql.query(
    `insert into session (workspace_id, id, contact_id)
     select ${w}, ${benchIdSql('wses', 'cs.c::bigint * 64 + j')}, ${benchIdSql('contact', 'cs.c')}
     from bench_cs cs, generate_series(1, cs.k) j`,
  );
  for (const [index, count] of bigContacts.entries()) {
    const c = index + 1;
    await sql.query(
      `insert into session (workspace_id, id, contact_id)
       select ${w}, ${benchIdSql('wses', `${bigSessionBase(c)}::bigint + i`)}, ${benchIdSql('contact', String(c))}
       from generate_series(1, ${count}) i`,
    );
  }
  await sql.query(
    `create temp table bench_ct as
     select row_number() over () as rn, c, t from (
       select distinct cs.c, 1 + floor(${tags} * random() ^ 4)::int as t
       -- cs.c makes the series lateral, so the count is drawn per contact, not once per statement
       from bench_cs cs, generate_series(1, (random() < 0.6)::int + (random() < 0.35)::int + (random() < 0.15)::int + 0 * cs.c) j
     ) d`,
  );
  await sql.query(
    `insert into entity_tag (workspace_id, id, entity_type, entity_id, tag_id, source_type)
     select ${w}, ${benchIdSql('etag', 'ct.rn * 64')}, 'contact', ${benchIdSql('contact', 'ct.c')},
            ${benchIdSql('wtag', 'ct.t')}, 'direct'
     from bench_ct ct`,
  );
  await sql.query(
    `insert into entity_tag (workspace_id, id, entity_type, entity_id, tag_id, source_type, source_entity_type, source_entity_id)
     select ${w}, ${benchIdSql('etag', 'ct.rn * 64 + j')}, 'session', ${benchIdSql('wses', 'ct.c::bigint * 64 + j')},
            ${benchIdSql('wtag', 'ct.t')}, 'inherited', 'contact', ${benchIdSql('contact', 'ct.c')}
     from bench_ct ct join bench_cs cs on cs.c = ct.c, generate_series(1, cs.k) j`,
  );
  await sql.query('drop table bench_cs; drop table bench_ct');
}

/** Loads every workspace into an empty, migrated database and leaves it indexed and analyzed. */
export async function generate(
  sql: Sql,
  shapes: readonly WorkspaceShape[],
  log: (line: string) => void,
): Promise<LoadReport> {
  const start = performance.now();
  await sql.query(
    `set session_replication_role = replica; set synchronous_commit = off;
     set maintenance_work_mem = '1GB'; set max_parallel_maintenance_workers = 2; set work_mem = '256MB'`,
  );
  const restore = await dropSecondaryIndexes(sql);
  for (const shape of shapes) {
    const t = performance.now();
    await loadWorkspace(sql, shape);
    log(`  workspace ${shape.workspaceId}: ${shape.contacts} contacts loaded in ${(since(t) / 1000).toFixed(1)} s`);
  }
  const t = performance.now();
  for (const statement of restore) await sql.query(statement);
  log(`  ${restore.length} secondary indexes built in ${(since(t) / 1000).toFixed(1)} s`);
  await sql.query('set session_replication_role = origin');
  const v = performance.now();
  await sql.query('vacuum (analyze) contact, session, entity_tag, tag');
  log(`  vacuum analyze in ${(since(v) / 1000).toFixed(1)} s`);
  const [counts] = (
    await sql.query<{ contacts: number; sessions: number; entity_tags: number; tags: number }>(
      `select (select count(*)::int from contact) as contacts, (select count(*)::int from session) as sessions,
              (select count(*)::int from entity_tag) as entity_tags, (select count(*)::int from tag) as tags`,
    )
  ).rows;
  return {
    contacts: counts?.contacts ?? 0,
    sessions: counts?.sessions ?? 0,
    entityTags: counts?.entity_tags ?? 0,
    tags: counts?.tags ?? 0,
    ms: since(start),
  };
}
