import { readFileSync } from 'node:fs';
import { databaseBackendsCpuMs, databaseCpuMsSince, processCpuSeconds } from './backend-cpu.ts';
import os from 'node:os';
import path from 'node:path';
import { connect, median } from './db.ts';
import { api } from './http.ts';
import { sessionTagsRequest, tagContactRequest, tagSessionRequest, type CallShape } from './hot-requests.ts';
import { load, type NextRequest } from './load.ts';
import { startServer, type RunningServer } from './server.ts';

/**
 * A/B of two checkouts of the service on one bench database, interleaved (issue 20): Node CPU
 * and PostgreSQL CPU per request of each, per operation and transport, median of the rounds.
 * Usage: `AB_A=/abs/checkout-a AB_B=/abs/checkout-b AB_DATABASE_URL=postgres://…/db AB_WORKSPACE=1
 * AB_KEY=<secret> ./pnpm --filter @tagging/bench ab`, on a database made by `speed.ts`
 * (`SPEED_DATABASE`), with a key made by `DATABASE_URL=… ./pnpm cli key create --workspace 1`.
 * `AB_ROUNDS` (4), `AB_SECONDS` (5), `AB_PORT` (3941, and the next one), `AB_OPS` (a comma list
 * of `tag`, `read`, `contact`), `AB_SHAPES` (`rest,trpc`), `AB_PROFILE=1` (a `--cpu-prof` of each),
 * `AB_ENV_A`, `AB_ENV_B` (extra environment of one side: `NAME=value NAME2=value`).
 */
const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
};
const roots = { A: env('AB_A'), B: env('AB_B') };
const url = env('AB_DATABASE_URL');
const w = Number(env('AB_WORKSPACE', '1'));
const key = env('AB_KEY');
const rounds = Number(env('AB_ROUNDS', '4'));
const seconds = Number(env('AB_SECONDS', '5'));
const port = Number(env('AB_PORT', '3941'));
const ops = env('AB_OPS', 'tag,read,contact').split(',');
const shapes = env('AB_SHAPES', 'rest,trpc').split(',') as CallShape[];
const profile = process.env.AB_PROFILE === '1';
const loadavg = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');

const sql = await connect(url);
const tagIds = (
  await sql.query<{ id: string }>('select id from tag where workspace_id = $1 order by id', [w])
).rows.map((r) => r.id);
const sessionPairs = (
  await sql.query<{ s: string; t: string }>(
    `select s.id as s, t.id as t from (select id from session where workspace_id = $1 order by md5(id) limit 20000) s
     cross join (select id from tag where workspace_id = $1 order by id desc limit 40) t
     where not exists (select 1 from entity_tag et where et.workspace_id = $1 and et.entity_type = 'session'
                         and et.entity_id = s.id and et.tag_id = t.id)
     order by md5(s.id || t.id) limit 400000`,
    [w],
  )
).rows;
// Sessions the tag runs never tag (the other end of the same order): reads stay the same size
// from run to run, where reading the tagged sessions grew their answers to ~40 tags.
const readSessions = (
  await sql.query<{ id: string }>('select id from session where workspace_id = $1 order by md5(id) desc limit 20000', [
    w,
  ])
).rows.map((r) => r.id);
const contactPairs = (
  await sql.query<{ c: string; t: string }>(
    `select c.contact_id as c, t.id as t
     from (select contact_id from session where workspace_id = $1 group by contact_id having count(*) = 3) c
     cross join (select id from tag where workspace_id = $1) t
     where not exists (select 1 from entity_tag et where et.workspace_id = $1 and et.entity_type = 'contact'
                         and et.entity_id = c.contact_id and et.tag_id = t.id)
     order by md5(c.contact_id || t.id) limit 300000`,
    [w],
  )
).rows;
console.log(`${sessionPairs.length} session pairs, ${contactPairs.length} contact pairs, ${tagIds.length} tags`);

let sc = 0;
let cc = 0;
let rc = 0;
const requestOf = (op: string, shape: CallShape): (() => NextRequest) => {
  if (op === 'tag')
    return () => {
      const p = sessionPairs[sc++ % sessionPairs.length];
      return tagSessionRequest(shape, w, p?.s ?? '', p?.t ?? '');
    };
  if (op === 'read') return () => sessionTagsRequest(shape, w, readSessions[(rc++ * 7919) % readSessions.length] ?? '');
  return () => {
    const p = contactPairs[cc++ % contactPairs.length];
    return tagContactRequest(shape, w, p?.c ?? '', p?.t ?? '');
  };
};

/** `AB_ENV_A` / `AB_ENV_B`: extra environment of one side, `NAME=value` pairs separated by spaces. */
const envOf = (variable: string): Record<string, string> =>
  Object.fromEntries(
    (process.env[variable] ?? '').split(/\s+/).flatMap((pair) => {
      const at = pair.indexOf('=');
      return at > 0 ? [[pair.slice(0, at), pair.slice(at + 1)]] : [];
    }),
  );

const cpuMs = (pid: number): number => processCpuSeconds(pid) * 1000;

const servers: Record<string, RunningServer> = {};
for (const [i, [name, root]] of Object.entries(roots).entries()) {
  const flags = readFileSync(path.join(root, 'apps/api/node-flags'), 'utf8').split(/\s+/).filter(Boolean);
  servers[name] = await startServer({
    port: port + i,
    env: { DATABASE_URL: url, DATABASE_POOL_SIZE: '10', ...envOf(`AB_ENV_${name}`) },
    logFile: `/tmp/ab-${name}.log`,
    script: path.join(root, 'apps/api/src/main.ts'),
    extraNodeArgs: [...flags, ...(profile ? ['--cpu-prof', `--cpu-prof-dir=/tmp/ab-profile-${name}`] : [])],
  });
}
const headers = api('', key).headers;
const names = Object.keys(servers);
for (const op of ops)
  for (const shape of shapes)
    for (const name of names) {
      const r = await load({
        baseUrl: servers[name]?.baseUrl ?? '',
        headers,
        connections: 32,
        seconds: 2,
        next: requestOf(op, shape),
      });
      if (r.non2xx + r.errors > 0)
        throw new Error(`warm-up ${op} ${shape} ${name}: ${r.non2xx} non-2xx, ${r.errors} errors`);
    }
const samples = new Map<string, { node: number; pg: number; rps: number }[]>();
for (let round = 0; round < rounds; round++)
  for (const op of ops)
    for (const shape of shapes) {
      const order = round % 2 === 0 ? names : [...names].reverse();
      for (const name of order) {
        const server = servers[name];
        if (!server) continue;
        const before = cpuMs(server.pid);
        const pgBefore = await databaseBackendsCpuMs(sql);
        const r = await load({
          baseUrl: server.baseUrl,
          headers,
          connections: 32,
          seconds,
          next: requestOf(op, shape),
        });
        const node = cpuMs(server.pid) - before;
        const pg = await databaseCpuMsSince(sql, pgBefore);
        const n = Math.max(1, r.ok + r.non2xx);
        const sample = { node: node / n, pg: pg / n, rps: r.requestsPerSecond };
        samples.set(`${op} ${shape} ${name}`, [...(samples.get(`${op} ${shape} ${name}`) ?? []), sample]);
        console.log(
          `round ${round + 1} ${op} ${shape} ${name}: ${r.requestsPerSecond.toFixed(0)} req/s, node ${sample.node.toFixed(3)} ms, pg ${sample.pg.toFixed(3)} ms, ${r.non2xx} non-2xx; load ${loadavg()}`,
        );
      }
    }
for (const server of Object.values(servers)) await server.stop();
await sql.end();
console.log(
  '\n| op | shape | variant | req/s | Node CPU ms/req | PostgreSQL CPU ms/req |\n| --- | --- | --- | --- | --- | --- |',
);
for (const [k, s] of samples) {
  const [op, shape, name] = k.split(' ');
  console.log(
    `| ${op} | ${shape} | ${name} | ${median(s.map((x) => x.rps)).toFixed(0)} | ${median(s.map((x) => x.node)).toFixed(3)} | ${median(s.map((x) => x.pg)).toFixed(3)} |`,
  );
}
console.log(`load average at the end: ${loadavg()}`);
