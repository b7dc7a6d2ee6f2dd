import { createServer } from 'node:http';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { sampleDatabaseCpu } from './backend-cpu.ts';
import { config } from './config.ts';
import { connect } from './db.ts';
import { startServer } from './server.ts';
import { createBenchDatabase } from './setup.ts';

/**
 * The webhook claim with many endpoints (issue 17, attack finding 5): one workspace with
 * `BENCH_CLAIM_ENDPOINTS` (default 200) enabled endpoints and `BENCH_CLAIM_DUE` (default 60) due
 * test deliveries each, one API process with the default webhook settings, a local receiver
 * answering 204 at once. Reports deliveries/s while the backlog drains (per 2 s and overall), the
 * API process's and PostgreSQL's CPU, and the load average. Runs alone:
 * `node bench/src/webhook-claims-cli.ts` (PostgreSQL at `BENCH_DATABASE_URL`).
 */
const endpoints = Number(process.env.BENCH_CLAIM_ENDPOINTS ?? '200');
const duePerEndpoint = Number(process.env.BENCH_CLAIM_DUE ?? '60');
const seconds = Number(process.env.BENCH_CLAIM_SECONDS ?? '20');

const db = await createBenchDatabase(config.databaseBaseUrl, `${config.databaseName}_claims`);
const sql = await connect(db.url);
let arrivals = 0;
const receiver = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    arrivals++;
    res.writeHead(204).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/claims`;

await sql.query(
  `insert into webhook_endpoint (workspace_id, id, url, secret)
   select $1, 'whep_' || gen_random_uuid(), $2, 'whsec_' || encode(decode(md5(random()::text), 'hex') || decode(md5(random()::text), 'hex'), 'base64')
   from generate_series(1, $3::int)`,
  [db.workspaceId, url, endpoints],
);
await sql.query(
  `insert into webhook_delivery (workspace_id, id, endpoint_id, event_id, event_type, payload, next_attempt_at)
   select ep.workspace_id, 'whdl_' || gen_random_uuid(), ep.id, 'evt_' || gen_random_uuid(), 'webhook.test',
          jsonb_build_object('type', 'webhook.test', 'seq', 0, 'data', jsonb_build_object('n', i)),
          now() - interval '1 minute'
   from webhook_endpoint ep cross join generate_series(1, $1::int) i`,
  [duePerEndpoint],
);
await sql.query('analyze webhook_delivery');
console.log(`${endpoints} endpoints x ${duePerEndpoint} due = ${endpoints * duePerEndpoint} deliveries`);

const logDir = path.join(fileURLToPath(new URL('../', import.meta.url)), '.logs');
mkdirSync(logDir, { recursive: true });
const databaseCpu = sampleDatabaseCpu(sql);
const server = await startServer({
  port: config.port + 8,
  env: { DATABASE_URL: db.url, WEBHOOK_ALLOW_PRIVATE_URLS: 'true' },
  logFile: path.join(logDir, 'server-webhook-claims.log'),
});
const started = performance.now();
const apiCpu0 = server.cpuSeconds();
const dbCpu0 = databaseCpu.read();
let last = 0;
for (let s = 2; s <= seconds && arrivals < endpoints * duePerEndpoint; s += 2) {
  await new Promise((resolve) => setTimeout(resolve, 2000));
  console.log(
    `  ${s} s: ${((arrivals - last) / 2).toFixed(0)} deliveries/s (load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')})`,
  );
  last = arrivals;
}
const elapsed = (performance.now() - started) / 1000;
const apiCpu = server.cpuSeconds() - apiCpu0;
const dbCpu = databaseCpu.read() - dbCpu0;
console.log(
  `delivered ${arrivals} in ${elapsed.toFixed(1)} s: ${(arrivals / elapsed).toFixed(0)}/s; ` +
    `API CPU ${apiCpu.toFixed(1)} s, PostgreSQL CPU ${dbCpu.toFixed(1)} s ` +
    `(${((dbCpu * 1000) / Math.max(arrivals, 1)).toFixed(2)} ms per delivery); load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
);
databaseCpu.stop();
await server.stop();
await sql.end();
receiver.close();
