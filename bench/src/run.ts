import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { config } from './config.ts';
import { connect, since } from './db.ts';
import { writeResults } from './results.ts';
import { fanOutApi, fanOutDeferred, fanOutRaw } from './fan-out.ts';
import { generate, type LoadReport } from './generate.ts';
import { api } from './http.ts';
import { benchId } from './ids.ts';
import type { LoadResult } from './load.ts';
import { pgliteTagSession } from './pglite.ts';
import { summarizeProfile, type ProfileSummary } from './profile.ts';
import { entityPageBenchmarks, explain, exportBenchmark, exportRows, filterBenchmarks, filterTags } from './reads.ts';
import { ms, pct, rate, times, type Row } from './report-types.ts';
import { bulkBenchmarks } from './set-based.ts';
import { startServer } from './server.ts';
import { cli, createBenchDatabase, createOtherWorkspaces } from './setup.ts';
import { sessionUpsertBenchmarks, sessionUpsertRows } from './session-upsert.ts';
import { rawTagSession, runLoad, tagSessionRequests } from './single-op.ts';
import { webhookBenchmarks } from './webhooks.ts';

const benchDir = fileURLToPath(new URL('../', import.meta.url));
const logDir = path.join(benchDir, '.logs');
rmSync(logDir, { recursive: true, force: true });
mkdirSync(logDir, { recursive: true });
const started = performance.now();
const log = (line: string): void => console.log(`[${(since(started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const n = (value: number): string => value.toLocaleString('en-US');
const scaled = (fraction: number): number => Math.round(config.contacts * fraction);

// ---- data -------------------------------------------------------------------------------------
log(`database ${config.databaseName}: create, migrate, workspace`);
const db = await createBenchDatabase(config.databaseBaseUrl, config.databaseName);
const others = await createOtherWorkspaces(db.url, config.otherWorkspaces);
const sql = await connect(db.url);
const w = db.workspaceId;
log(`generating: ${n(config.contacts)} contacts in workspace ${w}, ${others.length} other workspaces`);
const data: LoadReport = await generate(
  sql,
  [
    { workspaceId: w, contacts: config.contacts, tags: config.tags, bigContacts: config.bigContacts },
    ...others.map((id) => ({ workspaceId: id, contacts: config.otherContacts, tags: 50, bigContacts: [] })),
  ],
  log,
);
log(
  `loaded ${n(data.contacts)} contacts, ${n(data.sessions)} sessions, ${n(data.entityTags)} entity tags in ${(data.ms / 1000).toFixed(1)} s`,
);
const pgVersion = (await sql.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]?.v ?? '?';

const rows: Row[] = [];
/** A new API key of another workspace (they are created in SQL, without one). */
const apiKeyOf = async (workspaceId: number | undefined): Promise<string> =>
  (
    JSON.parse(await cli(db.url, ['key', 'create', '--workspace', String(workspaceId), '--json'])) as {
      apiKey: { secret: string };
    }
  ).apiKey.secret;
const serverEnv = (syncLimit: number) => ({ DATABASE_URL: db.url, PROPAGATION_SYNC_LIMIT: String(syncLimit) });

// ---- server with synchronous propagation up to 2,000,000 sessions ----------------------------
log('starting the API server (PostgreSQL, PROPAGATION_SYNC_LIMIT=2000000)');
let server = await startServer({
  port: config.port,
  env: serverEnv(2_000_000),
  logFile: path.join(logDir, 'server-sync.log'),
});
let target = api(server.baseUrl, db.apiKey);

// Single operation: tag a session.
const range = (from: number, to: number): [number, number] => [scaled(from), scaled(to) - scaled(from)];
log('tag a session: warm-up, REST, tRPC, pgbench');
await runLoad(target, tagSessionRequests(w, ...range(0.7, 0.78), 'rest'), config.warmupSeconds);
const rest = await runLoad(target, tagSessionRequests(w, ...range(0.1, 0.3), 'rest'));
const trpc = await runLoad(target, tagSessionRequests(w, ...range(0.3, 0.5), 'trpc'));
// The raw row runs the service's exact statement, prepared; the bare upsert is the reference.
const rawMinimal = await rawTagSession(db.url, w, ...range(0.5, 0.6), true);
const rawLocked = await rawTagSession(db.url, w, ...range(0.6, 0.7), false);
const opRow = (figure: string, result: LoadResult): Row => {
  const ratio = result.requestsPerSecond / rawMinimal.tps;
  return {
    figure,
    ours: `${rate(result.requestsPerSecond, 'req/s')}, p50 ${ms(result.p50)}, p99 ${ms(result.p99)}${result.non2xx + result.errors > 0 ? ` (${result.non2xx} non-2xx, ${result.errors} errors)` : ''}`,
    raw: `${rate(rawMinimal.tps, 'tx/s')}, p50 ${ms(rawMinimal.p50)}, p99 ${ms(rawMinimal.p99)}`,
    ratio: pct(ratio),
    goal: '≥ 60% of raw; p99 ≤ 10 ms',
    met: ratio >= 0.6 && result.p99 <= 10,
  };
};
rows.push(opRow('Tag a session, REST, 32 connections', rest));
rows.push(opRow('Tag a session, tRPC, 32 connections', trpc));
rows.push({
  figure: '(reference) the bare upsert alone (no session lock, no tag check), prepared',
  ours: `${rate(rawLocked.tps, 'tx/s')}, p50 ${ms(rawLocked.p50)}, p99 ${ms(rawLocked.p99)}`,
  raw: `${rate(rawMinimal.tps, 'tx/s')}`,
  ratio: pct(rawLocked.tps / rawMinimal.tps),
  goal: '—',
  met: null,
});

// Reads: filters, entity pages, export.
log('contacts filtered by 3 tags');
const filters = await filterBenchmarks(target, sql, w);
for (const f of filters) {
  const ratio = f.apiMs / f.rawMs;
  rows.push({
    figure: `Contacts with ${f.mode.toUpperCase()} of 3 tags, page 1 + total (${n(f.total)} match)`,
    ours: ms(f.apiMs),
    raw: ms(f.rawMs),
    ratio: times(ratio),
    goal: '≤ 1.2x',
    met: ratio <= 1.2,
  });
}
log('entities by tag, page 1 and 10,000');
const pages = await entityPageBenchmarks(target, sql, w);
const firstPage = pages[0];
for (const p of pages) {
  const ratio = p.apiMs / p.rawMs;
  const deep = firstPage && p.page > 1 ? p.apiMs / firstPage.apiMs : null;
  rows.push({
    figure: `Entities by tag (most used tag), page ${n(p.page)} of 50`,
    ours: ms(p.apiMs),
    raw: ms(p.rawMs),
    ratio: `${times(ratio)}${deep === null ? '' : `; ${times(deep)} page 1`}`,
    goal: p.page > 1 ? 'same time as page 1 (≤ 1.25x)' : '—',
    met: deep === null ? null : deep <= 1.25,
  });
}
log('export of every contact (csv, jsonl, xlsx; COPY after each)');
const exportFigures = [];
for (const format of ['csv', 'jsonl', 'xlsx'] as const)
  exportFigures.push(await exportBenchmark(target, server, db.url, w, format));
rows.push(...exportRows(exportFigures));

// Set-based writes.
log('bulk tag 10,000 and 100,000 sessions');
for (const b of await bulkBenchmarks(target, sql, w)) {
  const ratio = b.apiMs / b.rawMs;
  rows.push({
    figure: `Bulk tag ${n(b.size)} sessions${b.size > 10_000 ? ` (${Math.ceil(b.size / 10_000)} requests)` : ''}`,
    ours: `${ms(b.apiMs)} (${rate(b.size / (b.apiMs / 1000), 'rows/s')})`,
    raw: `${ms(b.rawMs)} (one statement)`,
    ratio: times(ratio),
    goal: '≤ 1.3x',
    met: ratio <= 1.3,
  });
}

log('bulk upsert of sessions linked by contactExternalId, large and small workspace');
rows.push(
  ...sessionUpsertRows(await sessionUpsertBenchmarks(target, sql, w, api(server.baseUrl, await apiKeyOf(others[0])))),
);

log(`tag and untag contact 1 (${n(config.bigContacts[0])} sessions), synchronously`);
await sql.query('select count(*) from session where workspace_id = $1 and contact_id = $2', [w, benchId('contact', 1)]);
const syncApi = await fanOutApi(target, w, 199);
const syncRaw = await fanOutRaw(sql, w, 198);
const fanRows = (what: 'Tag' | 'Untag', oursMs: number, rawMs: number, count: number): Row[] => {
  const ratio = rawMs / oursMs;
  return [
    {
      figure: `${what} a contact with ${n(count)} sessions (sync): request latency`,
      ours: ms(oursMs),
      raw: `${ms(rawMs)} (one statement)`,
      ratio: times(oursMs / rawMs),
      goal: '≤ 50 ms',
      met: oursMs <= 50,
    },
    {
      figure: `${what} a contact with ${n(count)} sessions (sync): fan-out rate`,
      ours: rate(count / (oursMs / 1000), 'rows/s'),
      raw: rate(count / (rawMs / 1000), 'rows/s'),
      ratio: pct(ratio),
      goal: '≥ 70% of raw',
      met: ratio >= 0.7,
    },
  ];
};
rows.push(...fanRows('Tag', syncApi.tagMs, syncRaw.tagMs, syncApi.tagged));
rows.push(...fanRows('Untag', syncApi.untagMs, syncRaw.untagMs, syncApi.untagged));

// ---- CPU profile of the server under the single-operation load --------------------------------
await server.stop();
log('CPU profile of the server under REST tag-session load');
const profileDir = path.join(logDir, 'profile');
server = await startServer({
  port: config.port,
  env: serverEnv(2_000_000),
  logFile: path.join(logDir, 'server-profile.log'),
  extraNodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
});
target = api(server.baseUrl, db.apiKey);
await runLoad(target, tagSessionRequests(w, ...range(0.78, 0.8), 'rest'));
await server.stop();
const profile: ProfileSummary | null = existsSync(profileDir) ? summarizeProfile(profileDir) : null;

// ---- deferred propagation (default PROPAGATION_SYNC_LIMIT) ------------------------------------
log('vacuum entity_tag, then deferred tag/untag of contact 1 (PROPAGATION_SYNC_LIMIT=5000)');
await sql.query('vacuum (analyze) entity_tag');
server = await startServer({
  port: config.port,
  env: serverEnv(5000),
  logFile: path.join(logDir, 'server-deferred.log'),
});
target = api(server.baseUrl, db.apiKey);
const deferred = await fanOutDeferred(target, w, 197);
await server.stop();
for (const [what, d, rawMs] of [
  ['Tag', deferred.tag, syncRaw.tagMs],
  ['Untag', deferred.untag, syncRaw.untagMs],
] as const) {
  const jobRate = d.jobSessions / (d.jobMs / 1000);
  const rawRate = syncRaw.tagged / (rawMs / 1000);
  rows.push({
    figure: `${what} a contact with ${n(d.sessions)} sessions (deferred): request latency`,
    ours: ms(d.requestMs),
    raw: '—',
    ratio: '—',
    goal: '≤ 50 ms',
    met: d.requestMs <= 50,
  });
  rows.push({
    figure: `${what} a contact with ${n(d.sessions)} sessions (deferred): background job rate`,
    ours: `${rate(jobRate, 'rows/s')} (${n(d.jobSessions)} rows in ${(d.jobMs / 1000).toFixed(1)} s)`,
    raw: rate(rawRate, 'rows/s'),
    ratio: pct(jobRate / rawRate),
    goal: '≥ 70% of raw',
    met: jobRate / rawRate >= 0.7,
  });
}

// ---- explain the filter statements for the notes ------------------------------------------------
const plans: string[] = [];
for (const [mode, where] of [
  [
    'any',
    `c.id in (select et.entity_id from entity_tag et where et.workspace_id = $1 and et.tag_id = any($2) and et.entity_type = 'contact')`,
  ],
  [
    'all',
    `c.id in (select et.entity_id from entity_tag et where et.workspace_id = $1 and et.tag_id = any($2) and et.entity_type = 'contact' group by et.entity_id having count(*) = 3)`,
  ],
  [
    'none',
    `not exists (select 1 from entity_tag ex where ex.workspace_id = c.workspace_id and ex.entity_type = 'contact' and ex.entity_id = c.id and ex.tag_id = any($2))`,
  ],
] as const) {
  plans.push(
    `-- ${mode}: the API's page statement\n${await explain(sql, `select c.* from contact c where c.workspace_id = $1 and ${where} order by c.id limit 51`, [w, filterTags])}`,
  );
  plans.push(
    `-- ${mode}: the API's total\n${await explain(sql, `select count(*)::int as total from contact c where c.workspace_id = $1 and ${where}`, [w, filterTags])}`,
  );
}
await sql.end();

// ---- embedded PGlite ---------------------------------------------------------------------------
log('embedded PGlite server: tag a session over REST');
const pglite = await pgliteTagSession(path.join(logDir, 'server-pglite.log'));
rows.push({
  figure: 'Tag a session, REST, 32 connections, embedded PGlite (the default) vs PostgreSQL',
  ours: `${rate(pglite.requestsPerSecond, 'req/s')}, p50 ${ms(pglite.p50)}, p99 ${ms(pglite.p99)}`,
  raw: `${rate(rest.requestsPerSecond, 'req/s')} on PostgreSQL`,
  ratio: pct(pglite.requestsPerSecond / rest.requestsPerSecond),
  goal: 'report',
  met: null,
});

// ---- change events (issue 17): its own small database and server -------------------------------
log('change events: tag a session with one webhook endpoint vs none, deliveries, event lag');
rows.push(...(await webhookBenchmarks(log)));

// ---- report ------------------------------------------------------------------------------------
const wallSeconds = since(started) / 1000;
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const pgbenchVersion = execFileSync('pgbench', ['--version']).toString().trim();
const table = [
  '| figure | ours | raw-SQL limit | ratio | goal | met |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows.map(
    (r) =>
      `| ${r.figure} | ${r.ours} | ${r.raw} | ${r.ratio} | ${r.goal} | ${r.met === null ? '—' : r.met ? 'yes' : '**no**'} |`,
  ),
].join('\n');
const profileText = profile
  ? [
      `Self time of the API process over its whole life (start-up, then ${config.loadSeconds} s of REST tag-session load at 32 connections; \`node --cpu-prof\`), by owner:`,
      '',
      ...profile.byOwner.map(([who, share]) => `- ${who}: ${pct(share)}`),
      '',
      'The same, with the time of native and Node-core frames charged to the first package or file up the stack that called them:',
      '',
      ...profile.byCaller.map(([who, share]) => `- ${who}: ${pct(share)}`),
      '',
      'Top functions (self time):',
      '',
      ...profile.byFunction.map(([fn, share]) => `- \`${fn}\`: ${pct(share)}`),
    ].join('\n')
  : '(no profile was written)';
const body = `# Benchmark results

Written by \`./pnpm bench\` on ${new Date().toISOString()}; the run took ${(wallSeconds / 60).toFixed(1)} minutes.

Machine: ${os.cpus().length} CPUs (${cpu}), ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB RAM, ${os.type()} ${os.release()};
Node ${process.version}; PostgreSQL ${pgVersion} (local server, loopback, stock settings); ${pgbenchVersion}; autocannon 8.0.0.
Load generator, server and PostgreSQL share the same ${os.cpus().length} cores.

Data (workspace ${w} plus ${others.length} smaller workspaces of ${n(config.otherContacts)} contacts; scale ${config.scale}):
${n(data.contacts)} contacts, ${n(data.sessions)} sessions, ${n(data.entityTags)} entity tags, ${n(data.tags)} tags,
loaded set-based in ${(data.ms / 1000).toFixed(1)} s (indexes built after the load). Contact 1 has ${n(config.bigContacts[0])} sessions,
contacts 2-4 ${n(config.bigContacts[1])} each; the others 1-3 (1% have 5-49). Tags follow a power law (tag 1 is on ~27% of the tagged contacts).

${table}

Ratios: throughput and rates are ours / raw (higher is better); times are ours / raw (lower is better).
"Raw" for single operations is pgbench (\`-M prepared\`, 32 clients, 2 threads, ${config.loadSeconds} s) running the one upsert;
for set-based operations it is one hand-written statement through node-postgres on the same database in the same run.
HTTP load: autocannon, 32 connections, ${config.loadSeconds} s (after a ${config.warmupSeconds} s warm-up), in the harness process; the server is
\`node apps/api/src/main.ts\` (NODE_ENV=production, LOG_LEVEL=info, logs to bench/.logs/).

## Profile

${profileText}

## Filter plans (EXPLAIN ANALYZE of the statements the API runs)

\`\`\`
${plans.join('\n\n')}
\`\`\`
`;
writeResults(body);
console.log(`\n${table}\n`);
log(`wrote bench/RESULTS.md (${(wallSeconds / 60).toFixed(1)} min)`);
