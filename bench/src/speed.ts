import { mkdirSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { databaseBackendsCpuMs, databaseCpuMsSince, processCpuSeconds } from './backend-cpu.ts';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hotStatements } from '@tagging/domain';
import { config } from './config.ts';
import { connect, median, since } from './db.ts';
import { generate } from './generate.ts';
import { api, type Api } from './http.ts';
import { benchIdSql } from './ids.ts';
import { sessionTagsRequest, tagContactRequest, tagSessionRequest, type CallShape } from './hot-requests.ts';
import { load, type LoadResult, type NextRequest } from './load.ts';
import { openLoop, type OpenLoopResult } from './open-loop.ts';
import { pgbench, type PgbenchResult } from './pgbench.ts';
import { summarizeProfile } from './profile.ts';
import { bulkTagApi, bulkTagRaw } from './set-based.ts';
import { startServer, type RunningServer } from './server.ts';
import { createBenchDatabase } from './setup.ts';

/**
 * Per-request speed (issue 20), in one run: the service over REST and tRPC against the floor
 * (`floor-server.ts`: Fastify + pg, the same routes, key check and prepared statements) and
 * against pgbench running the service's exact statements prepared, for tagging a session,
 * reading a session's tags and tagging a contact with 3 sessions; closed-loop throughput at 32
 * connections in interleaved rounds (median), open-loop p99 at an even 200 req/s (the median of
 * `SPEED_PACED_ROUNDS` (3) interleaved rounds of `SPEED_PACED_SECONDS` (6) each); bulk tag of
 * 10,000 sessions against the one hand-written statement (`SPEED_BULK_ROUNDS` (5) rounds, which
 * goes first alternating, each on a fresh tag); start-up time and RSS. Writes
 * bench/SPEED.md. `SPEED_CONTACTS` (default 200,000), `SPEED_ROUNDS` (3), `SPEED_SECONDS` (8),
 * `SPEED_DATABASE` (tagging_speed; another name lets two runs share the server), `SPEED_PROFILE=1`
 * (profile in quick mode too), `SPEED_PROFILE_OP` (`tag`, `read` or `contact`; default `tag`) and
 * `SPEED_PROFILE_SHAPE` (`rest` or `trpc`; default `rest`): the request the profile runs.
 */
const benchDir = fileURLToPath(new URL('../', import.meta.url));
const logDir = path.join(benchDir, '.logs-speed');
rmSync(logDir, { recursive: true, force: true });
mkdirSync(logDir, { recursive: true });
const started = performance.now();
const log = (line: string): void => console.log(`[${(since(started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const contacts = Number(process.env.SPEED_CONTACTS ?? '200000');
const rounds = Number(process.env.SPEED_ROUNDS ?? '3');
const seconds = Number(process.env.SPEED_SECONDS ?? '8');
/** Throughput rounds only (no paced, pgbench, bulk or profile), for comparing variants of the service. */
const quick = process.env.SPEED_QUICK === '1';
const pacedRounds = Number(process.env.SPEED_PACED_ROUNDS ?? '3');
const pacedSeconds = Number(process.env.SPEED_PACED_SECONDS ?? '6');
const outFile = process.env.SPEED_OUT ?? 'SPEED.md';
const databaseName = process.env.SPEED_DATABASE ?? 'tagging_speed';
const profileWanted = !quick || process.env.SPEED_PROFILE === '1';
const poolSize = 10; // the service's default DATABASE_POOL_SIZE, for both servers
const loadavg = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');

log(`database ${databaseName}: ${contacts} contacts; load average ${loadavg()}`);
const db = await createBenchDatabase(config.databaseBaseUrl, databaseName);
const sql = await connect(db.url);
const w = db.workspaceId;
await generate(sql, [{ workspaceId: w, contacts, tags: config.tags, bigContacts: [] }], log);

// Ids: the top 10% of contacts (and their sessions) are left to pgbench, the rest to HTTP.
const pgbenchFrom = Math.round(contacts * 0.9);
const limitId = `('contact_00000000-0000-7000-8000-' || lpad(to_hex(${pgbenchFrom}), 12, '0'))`;
const sessions = (
  await sql.query<{ id: string }>(
    `select id from session where workspace_id = $1 and contact_id < ${limitId} order by md5(id) limit 200000`,
    [w],
  )
).rows.map((r) => r.id);
const bulkSessions = sessions.splice(0, Math.min(60_000, Math.floor(sessions.length / 3)));
const bulkSize = Math.floor(bulkSessions.length / 6);
const contactPairs = (
  await sql.query<{ c: string; t: string }>(
    `select c.contact_id as c, t.id as t
     from (select contact_id from session where workspace_id = $1 and contact_id < ${limitId}
           group by contact_id having count(*) = 3) c
     cross join (select id from tag where workspace_id = $1) t
     where not exists (select 1 from entity_tag et where et.workspace_id = $1 and et.entity_type = 'contact'
                         and et.entity_id = c.contact_id and et.tag_id = t.id)
     order by md5(c.contact_id || t.id) limit 300000`,
    [w],
  )
).rows;
const tagIds = (
  await sql.query<{ id: string }>('select id from tag where workspace_id = $1 order by id', [w])
).rows.map((r) => r.id);
log(`${sessions.length} sessions to tag and read, ${contactPairs.length} fresh (contact with 3 sessions, tag) pairs`);

// ---- request makers: every write is a fresh pair, shared by every contender ------------------
type Shape = CallShape;
type Op = 'tag a session' | "read a session's tags" | 'tag a contact with 3 sessions';
let tagSessionCursor = 0;
const nextSessionTag = () => {
  const i = tagSessionCursor++;
  return {
    sessionId: sessions[i % sessions.length] ?? '',
    tagId: tagIds[Math.floor(i / sessions.length) % tagIds.length] ?? '',
  };
};
let contactCursor = 0;
const nextContactTag = () => {
  const pair = contactPairs[contactCursor++ % contactPairs.length];
  return { contactId: pair?.c ?? '', tagId: pair?.t ?? '' };
};
let readCursor = 0;
const nextRead = () => sessions[(readCursor++ * 7919) % sessions.length] ?? '';

const requestOf = (op: Op, shape: Shape): (() => NextRequest) => {
  if (op === 'tag a session')
    return () => {
      const { sessionId, tagId } = nextSessionTag();
      return tagSessionRequest(shape, w, sessionId, tagId);
    };
  if (op === "read a session's tags") return () => sessionTagsRequest(shape, w, nextRead());
  return () => {
    const { contactId, tagId } = nextContactTag();
    return tagContactRequest(shape, w, contactId, tagId);
  };
};

// ---- servers -------------------------------------------------------------------------------
const cpuMs = (pid: number): number => processCpuSeconds(pid) * 1000;
const env = { DATABASE_URL: db.url, DATABASE_POOL_SIZE: String(poolSize) };
const service = await startServer({ port: config.port, env, logFile: path.join(logDir, 'service.log') });
const idleRss = service.rss();
log(`service: /healthz after ${service.healthyMs.toFixed(0)} ms, RSS idle ${(idleRss / 2 ** 20).toFixed(0)} MiB`);
const floor = await startServer({
  port: config.port + 1,
  env: { DATABASE_URL: db.url, POOL_SIZE: String(poolSize), PORT: String(config.port + 1) },
  logFile: path.join(logDir, 'floor.log'),
  script: 'bench/src/floor-server.ts',
});
const targets: Record<Shape, { api: Api; server: RunningServer }> = {
  rest: { api: api(service.baseUrl, db.apiKey), server: service },
  trpc: { api: api(service.baseUrl, db.apiKey), server: service },
  floor: { api: api(floor.baseUrl, db.apiKey), server: floor },
};

const ops: Op[] = ['tag a session', "read a session's tags", 'tag a contact with 3 sessions'];
const shapes: Shape[] = ['rest', 'trpc', 'floor'];

// Warm-up: every route on both servers (JIT, prepared statements on every pooled connection).
for (const op of ops)
  for (const shape of shapes) {
    const r = await load({ ...targets[shape].api, connections: 32, seconds: 2, next: requestOf(op, shape) });
    if (r.non2xx + r.errors > 0) throw new Error(`warm-up ${op} ${shape}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  }
log('warmed up');

// The floor must answer what the service answers: the same read, field for field in the same
// order, and writes with the same fields (its bodies lacked `appliedByKeyId`, added to the
// service in issue 19).
const shapeOf = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(shapeOf)
    : typeof value === 'object' && value !== null
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shapeOf(v)]))
      : typeof value;
for (const op of ops) {
  const session = nextRead();
  const answers = [];
  for (const shape of ['rest', 'floor'] as const) {
    const {
      method,
      path: requestPath,
      body,
    } = op === "read a session's tags" ? sessionTagsRequest(shape, w, session) : requestOf(op, shape)();
    answers.push(await targets[shape].api.call(method, requestPath, body === undefined ? undefined : JSON.parse(body)));
  }
  const [service, floorAnswer] = answers;
  const same =
    op === "read a session's tags"
      ? JSON.stringify(service) === JSON.stringify(floorAnswer)
      : JSON.stringify(shapeOf(service)) === JSON.stringify(shapeOf(floorAnswer));
  if (!same)
    throw new Error(`${op}: the floor answers ${JSON.stringify(floorAnswer)}, the service ${JSON.stringify(service)}`);
}

type Sample = LoadResult & { nodeCpuMsPerRequest: number; pgCpuMsPerRequest: number; load: string };
const samples = new Map<string, Sample[]>();
for (let round = 0; round < rounds; round++) {
  for (const op of ops) {
    // Rotate the order each round so no contender always goes first.
    const order = shapes.map((_, i) => shapes[(i + round) % shapes.length] as Shape);
    for (const shape of order) {
      const { api: target, server } = targets[shape];
      const cpuBefore = cpuMs(server.pid);
      const pgBefore = await databaseBackendsCpuMs(sql);
      const r = await load({ ...target, connections: 32, seconds, next: requestOf(op, shape) });
      const cpu = cpuMs(server.pid) - cpuBefore;
      const pgCpuMs = await databaseCpuMsSince(sql, pgBefore);
      const key = `${op}|${shape}`;
      samples.set(key, [
        ...(samples.get(key) ?? []),
        {
          ...r,
          nodeCpuMsPerRequest: cpu / Math.max(1, r.ok + r.non2xx),
          pgCpuMsPerRequest: pgCpuMs / Math.max(1, r.ok + r.non2xx),
          load: loadavg(),
        },
      ]);
      log(
        `round ${round + 1} ${op} ${shape}: ${r.requestsPerSecond.toFixed(0)} req/s, p99 ${r.p99} ms, ${r.non2xx} non-2xx; load ${loadavg()}`,
      );
    }
  }
}

// Paced rounds, interleaved like the throughput rounds: one 10 s sample's p99 is its 20 slowest
// requests, so one pause of the machine (a GC, another process) decided it; the median of the
// rounds' p99 (and p50) is reported.
const paced = new Map<string, OpenLoopResult>();
const pacedSamples = new Map<string, OpenLoopResult[]>();
for (let round = 0; round < (quick ? 0 : pacedRounds); round++)
  for (const op of ops)
    for (const shape of shapes) {
      const r = await openLoop({ ...targets[shape].api, rate: 200, seconds: pacedSeconds, next: requestOf(op, shape) });
      pacedSamples.set(`${op}|${shape}`, [...(pacedSamples.get(`${op}|${shape}`) ?? []), r]);
      log(
        `round ${round + 1} paced 200/s ${op} ${shape}: p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, ${r.failed} failed`,
      );
    }
for (const [key, samples] of pacedSamples) {
  const byP99 = [...samples].sort((a, b) => a.p99 - b.p99);
  const middle = byP99[Math.floor(byP99.length / 2)];
  if (middle)
    paced.set(key, {
      ...middle,
      p50: median(samples.map((r) => r.p50)),
      failed: samples.reduce((n, r) => n + r.failed, 0),
    });
}
const loadedRss = service.rss();

// ---- pgbench: the service's exact statements, prepared, 32 clients ---------------------------
const sessionExpr = benchIdSql('wses', 'cast(:s as bigint)');
const tagExpr = benchIdSql('wtag', 'cast(:t as int)');
const contactExpr = benchIdSql('contact', 'cast(:c as bigint)');
const arrayOf = (expr: string) => `('{' || ${expr} || '}')`;
const fill = (statement: string, values: string[]) =>
  statement.replace(/\$(\d+)/g, (_, n: string) => values[Number(n) - 1] ?? 'null');
const pick = `\\set c random(${pgbenchFrom}, ${contacts})\n\\set s :c * 64 + 1\n\\set t random(1, ${config.tags})\n`;
const scripts: Record<Op, string> = {
  'tag a session': `${pick}${fill(hotStatements.tagSession, [':w', sessionExpr, ':w', tagExpr, "'key_bench'"])};\n`,
  "read a session's tags": `${pick}${fill(hotStatements.sessionTags, [':w', sessionExpr, ':w', "'session'", sessionExpr])};\n`,
  'tag a contact with 3 sessions': `${pick}begin;\n${[
    fill(hotStatements.lockContacts, [':w', arrayOf(contactExpr)]),
    fill(hotStatements.lockTags, [':w', arrayOf(tagExpr)]),
    fill(hotStatements.makeDirect, ["'key_bench'", ':w', "'{contact}'", arrayOf(contactExpr), arrayOf(tagExpr)]),
    fill(hotStatements.countSessionsUpTo, [':w', contactExpr, '5001']),
    fill(hotStatements.propagateFromContacts, [tagExpr, ':w', arrayOf(contactExpr)]),
  ].join(';\n')};\ncommit;\n`,
};
const raw = new Map<Op, PgbenchResult>();
for (const op of quick ? [] : ops) {
  raw.set(
    op,
    await pgbench({
      url: db.url,
      script: scripts[op],
      clients: 32,
      seconds,
      variables: { w },
    }),
  );
  log(`pgbench ${op}: ${raw.get(op)?.tps.toFixed(0)} tx/s`);
}

// ---- bulk tag 10,000 sessions ----------------------------------------------------------------
const bulkApi: number[] = [];
const bulkRaw: number[] = [];
// A round is the same new work on both sides: a fresh tag on one of three pairs of session sets.
// Which side goes first alternates, since either one's statement can meet the other's leftovers
// (the event sequencer numbering its 10,000 events).
const bulkRounds = quick ? 0 : Number(process.env.SPEED_BULK_ROUNDS ?? '5');
for (let i = 0; i < bulkRounds; i++) {
  const tagNumber = 150 + i;
  const set = i % 3;
  const api = async () =>
    bulkApi.push(
      await bulkTagApi(
        targets.rest.api,
        w,
        tagNumber,
        bulkSessions.slice(2 * set * bulkSize, (2 * set + 1) * bulkSize),
      ),
    );
  const raw = async () =>
    bulkRaw.push(
      await bulkTagRaw(sql, w, tagNumber, bulkSessions.slice((2 * set + 1) * bulkSize, (2 * set + 2) * bulkSize)),
    );
  for (const side of i % 2 === 0 ? [api, raw] : [raw, api]) await side();
}
log(`bulk ${bulkSize}: API ${median(bulkApi).toFixed(0)} ms, statement ${median(bulkRaw).toFixed(0)} ms`);

await floor.stop();
await service.stop();

// ---- profile of the service under one operation's load (REST tag a session by default) ---------
const profileOps: Record<string, Op> = {
  tag: 'tag a session',
  read: "read a session's tags",
  contact: 'tag a contact with 3 sessions',
};
const profileOp = profileOps[process.env.SPEED_PROFILE_OP ?? 'tag'] ?? 'tag a session';
const profileShape: Shape = process.env.SPEED_PROFILE_SHAPE === 'trpc' ? 'trpc' : 'rest';
const profileDir = path.join(logDir, 'profile');
const profiled = !profileWanted
  ? null
  : await startServer({
      port: config.port,
      env,
      logFile: path.join(logDir, 'service-profile.log'),
      extraNodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
    });
if (profiled)
  await load({
    ...targets.rest.api,
    baseUrl: profiled.baseUrl,
    connections: 32,
    seconds: seconds * 2,
    next: requestOf(profileOp, profileShape),
  });
await profiled?.stop();
const profile = existsSync(profileDir) ? summarizeProfile(profileDir) : null;
await sql.end();

// ---- report ----------------------------------------------------------------------------------
const f0 = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
const f2 = (n: number) => n.toFixed(2);
const med = (key: string, pickValue: (s: Sample) => number) => median((samples.get(key) ?? []).map(pickValue));
const lines: string[] = [];
lines.push(
  '| operation | contender | req/s (median of rounds) | vs floor | Node CPU ms/req | PostgreSQL CPU ms/req | p99 at 32 conn | p50 / p99 at 200 req/s paced | p99 vs floor |',
);
lines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const op of ops) {
  const floorRate = med(`${op}|floor`, (s) => s.requestsPerSecond);
  const floorPaced = paced.get(`${op}|floor`);
  for (const shape of shapes) {
    const key = `${op}|${shape}`;
    const rate = med(key, (s) => s.requestsPerSecond);
    const p = paced.get(key);
    const bad = (samples.get(key) ?? []).reduce((n, s) => n + s.non2xx + s.errors, 0);
    lines.push(
      `| ${op} | ${shape === 'floor' ? 'floor (Fastify + pg)' : `service, ${shape === 'rest' ? 'REST' : 'tRPC'}`} | ${f0(rate)}${bad ? ` (${bad} non-2xx)` : ''} | ${shape === 'floor' ? '—' : `${((rate / floorRate) * 100).toFixed(0)} %`} | ${f2(med(key, (s) => s.nodeCpuMsPerRequest))} | ${f2(med(key, (s) => s.pgCpuMsPerRequest))} | ${med(key, (s) => s.p99)} ms | ${p ? `${f2(p.p50)} / ${f2(p.p99)} ms${p.failed ? ` (${p.failed} failed)` : ''}` : '—'} | ${shape === 'floor' || !p || !floorPaced ? '—' : `${(p.p99 / floorPaced.p99).toFixed(2)}x`} |`,
    );
  }
  const r = raw.get(op);
  if (r)
    lines.push(
      `| ${op} | pgbench, the service's statements, -M prepared | ${f0(r.tps)} tx/s | ${((r.tps / floorRate) * 100).toFixed(0)} % | — | — | ${f2(r.p99)} ms | — | — |`,
    );
}
const bulkRatio = median(bulkApi) / median(bulkRaw);
const rounds_ = [...samples.entries()].map(
  ([k, s]) => `${k}: ${s.map((x) => f0(x.requestsPerSecond)).join(', ')} (load ${s.map((x) => x.load).join('; ')})`,
);
const body = `# Per-request speed (issue 20)

Written by \`./pnpm --filter @tagging/bench run speed\` on ${new Date().toISOString()} (${(since(started) / 60000).toFixed(1)} min).
Machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), shared with other work: load average ${loadavg()} at the end.
Data: ${f0(contacts)} contacts, one workspace, 200 tags. Both servers: pool of ${poolSize} connections, the service with
NODE_ENV=production and LOG_LEVEL=info (a log line per request, to a file). Load: autocannon, 32 connections, ${seconds} s per
sample, ${rounds} interleaved rounds (order rotated each round), after a 2 s warm-up of every route; paced: 200 req/s evenly for
${pacedSeconds} s, open loop, latency from each request's due time, ${pacedRounds} interleaved rounds, the median round's p99 (p50: median). pgbench: 32 clients, ${seconds} s, the statements of \`hotStatements\`
with the script's id expressions in place of the parameters.

${lines.join('\n')}

${quick ? 'Quick mode (`SPEED_QUICK=1`): throughput rounds only; no paced latencies, pgbench or bulk tag.' : `Bulk tag ${f0(bulkSize)} sessions (REST, median of ${bulkRounds}): ${f0(median(bulkApi))} ms vs the one hand-written statement ${f0(median(bulkRaw))} ms: **${bulkRatio.toFixed(2)}x** (samples: API ${bulkApi.map(f0).join(', ')}; statement ${bulkRaw.map(f0).join(', ')} ms).`}

Start-up: \`/healthz\` answered ${f0(service.healthyMs)} ms after spawn. RSS: ${(idleRss / 2 ** 20).toFixed(0)} MiB idle, ${(loadedRss / 2 ** 20).toFixed(0)} MiB after the load.

Every sample (req/s, with the load average when it was taken):

${rounds_.map((r) => `- ${r}`).join('\n')}

## Profile (service, ${profileShape === 'rest' ? 'REST' : 'tRPC'} ${profileOp}, ${seconds * 2} s at 32 connections, \`node --cpu-prof\`)

${profile ? ['By owner (self time):', '', ...profile.byOwner.map(([who, share]) => `- ${who}: ${(share * 100).toFixed(1)} %`), '', 'Charged to the first package up the stack:', '', ...profile.byCaller.map(([who, share]) => `- ${who}: ${(share * 100).toFixed(1)} %`), '', 'Top functions:', '', ...profile.byFunction.map(([fn, share]) => `- \`${fn}\`: ${(share * 100).toFixed(1)} %`)].join('\n') : '(no profile)'}
`;
writeFileSync(path.resolve(benchDir, outFile), body);
console.log(body);
