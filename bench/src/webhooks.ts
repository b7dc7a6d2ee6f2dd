import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sampleDatabaseCpu } from './backend-cpu.ts';
import { config } from './config.ts';
import { connect, percentile } from './db.ts';
import { generate } from './generate.ts';
import { api, expectStatus } from './http.ts';
import type { LoadResult } from './load.ts';
import { ms, pct, rate, type Row } from './report-types.ts';
import { startServer } from './server.ts';
import { createBenchDatabase } from './setup.ts';
import type { Arrival } from './webhook-receiver.ts';
import { runLoad, tagSessionRequests } from './single-op.ts';

/**
 * Change events (issue 17): tag-a-session throughput with one enabled webhook endpoint against
 * none (the endpoint disabled, so the same database and server serve both; goal ≥ 90 %),
 * delivery throughput to a local receiver (on a worker thread of its own, `webhook-receiver.ts`), and event lag (change committed → delivered, from the
 * event's timestamp to the receiver's arrival time, same clock) p50/p99, and the API process's
 * CPU per delivery (its CPU time in the rounds with the endpoint, less what the same requests
 * cost in the rounds without, divided by the deliveries), and the same for PostgreSQL (the
 * backends of the bench's database, `sampleDatabaseCpu`). Runs alone:
 * `pnpm --filter @tagging/bench run webhooks` (`BENCH_WEBHOOK_CONTACTS`, default 20,000;
 * `BENCH_WEBHOOK_ROUNDS`, default 2, pairs of rounds without and with the endpoint;
 * `BENCH_WEBHOOK_PROFILE=<dir>` writes a `node --cpu-prof` profile of the API process there).
 * The API steps deliveries back while requests keep it busy (`WEBHOOK_BUSY_PAUSE_MS`, default
 * 200 ms; set it in the environment, e.g. to 0, to measure other pauses).
 */
export async function webhookBenchmarks(log: (line: string) => void): Promise<Row[]> {
  const contacts = Number(process.env.BENCH_WEBHOOK_CONTACTS ?? '20000');
  const rounds = Number(process.env.BENCH_WEBHOOK_ROUNDS ?? '2');
  const db = await createBenchDatabase(config.databaseBaseUrl, `${config.databaseName}_webhooks`);
  const sql = await connect(db.url);
  await generate(sql, [{ workspaceId: db.workspaceId, contacts, tags: config.tags, bigContacts: [] }], log);

  const receiver = new Worker(new URL('./webhook-receiver.ts', import.meta.url));
  const ask = <T>(question: 'count' | 'arrivals' | 'close' | undefined, key: string) =>
    new Promise<T>((resolve) => {
      const answer = (message: Record<string, unknown>) => {
        if (!(key in message)) return;
        receiver.off('message', answer);
        resolve(message[key] as T);
      };
      receiver.on('message', answer);
      if (question) receiver.postMessage(question);
    });
  const receiverPort = await ask<number>(undefined, 'port');
  const arrivalCount = () => ask<number>('count', 'count');
  const receiverUrl = `http://127.0.0.1:${receiverPort}/bench`;

  const logDir = path.join(fileURLToPath(new URL('../', import.meta.url)), '.logs');
  mkdirSync(logDir, { recursive: true });
  const server = await startServer({
    port: config.port + 7,
    // One endpoint may use all 32 slots, as before the per-endpoint and per-workspace caps: the
    // rounds compare the cost of delivering, not a lower concurrency chosen on purpose.
    env: {
      DATABASE_URL: db.url,
      WEBHOOK_ALLOW_PRIVATE_URLS: 'true',
      WEBHOOK_CONCURRENCY: '32',
      WEBHOOK_ENDPOINT_CONCURRENCY: '32',
      WEBHOOK_WORKSPACE_CONCURRENCY: '32',
    },
    logFile: path.join(logDir, 'server-webhooks.log'),
    ...(process.env.BENCH_WEBHOOK_PROFILE
      ? { extraNodeArgs: ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_WEBHOOK_PROFILE}`] }
      : {}),
  });
  const target = api(server.baseUrl, db.apiKey);
  const created = await target.call<{ id: string }>('POST', '/api/webhooks/endpoints', {
    url: receiverUrl,
    eventTypes: ['session.tagged'],
  });
  expectStatus('create endpoint', created.status, [201], created.body);
  const setEnabled = async (enabled: boolean) => {
    const answer = await target.call('PATCH', `/api/webhooks/endpoints/${created.body.id}`, { disabled: !enabled });
    expectStatus('toggle endpoint', answer.status, [200], answer.body);
  };
  const drained = async () => {
    for (;;) {
      const { rows } = await sql.query<{ count: string }>(
        `select (select count(*) from event where seq is null) + (select count(*) from webhook_delivery where status = 'pending') as count`,
      );
      if (Number(rows[0]?.count ?? 1) === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  // A slice of contacts per load (the warm-up and each round's two), never tagged twice.
  const span = Math.floor(contacts / Math.max(10, 2 * rounds + 1));
  let slice = 0;
  const next = () => tagSessionRequests(db.workspaceId, 1 + span * slice++, span, 'rest');
  log('webhooks: warm-up');
  await setEnabled(false);
  await runLoad(target, next(), config.warmupSeconds);
  await drained();
  const without: LoadResult[] = [];
  const withOne: LoadResult[] = [];
  let deliveredDuringLoad = 0;
  let deliverySeconds = 0;
  const cpu = { without: 0, withOne: 0 };
  const pgCpu = { without: 0, withOne: 0 };
  const database = sampleDatabaseCpu(sql);
  const loads: string[] = [];
  const loadAverage = () => os.loadavg()[0]?.toFixed(1) ?? '?';
  for (let round = 0; round < rounds; round++) {
    log(`webhooks: round ${round + 1}: no endpoint (load average ${loadAverage()})`);
    await setEnabled(false);
    let cpuBefore = server.cpuSeconds();
    let pgBefore = database.read();
    without.push(await runLoad(target, next()));
    await drained();
    cpu.without += server.cpuSeconds() - cpuBefore;
    pgCpu.without += database.read() - pgBefore;
    log(`webhooks: round ${round + 1}: one endpoint (load average ${loadAverage()})`);
    loads.push(loadAverage());
    await setEnabled(true);
    const before = await arrivalCount();
    const started = Date.now();
    cpuBefore = server.cpuSeconds();
    pgBefore = database.read();
    withOne.push(await runLoad(target, next()));
    await drained();
    cpu.withOne += server.cpuSeconds() - cpuBefore;
    pgCpu.withOne += database.read() - pgBefore;
    deliveredDuringLoad += (await arrivalCount()) - before;
    deliverySeconds += (Date.now() - started) / 1000;
  }
  loads.push(loadAverage());
  database.stop();
  await server.stop();
  const arrivals = await ask<Arrival[]>('arrivals', 'arrivals');
  receiver.postMessage('close');
  await receiver.terminate();
  await sql.end();

  const mean = (results: LoadResult[]) => results.reduce((sum, r) => sum + r.requestsPerSecond, 0) / results.length;
  const lags = arrivals.map((a) => a.at - Date.parse(a.timestamp)).sort((a, b) => a - b);
  const unique = new Set(arrivals.map((a) => a.id)).size;
  const ratio = mean(withOne) / mean(without);
  const requests = (results: LoadResult[]) => results.reduce((sum, r) => sum + r.ok + r.non2xx, 0);
  /** CPU per tagging request (rounds without), and per delivery (what the rounds with cost beyond it). */
  const perUnit = (spent: { without: number; withOne: number }) => {
    const perRequest = spent.without / requests(without);
    return [perRequest, (spent.withOne - perRequest * requests(withOne)) / Math.max(1, deliveredDuringLoad)] as const;
  };
  const [cpuPerRequest, cpuPerDelivery] = perUnit(cpu);
  const [pgPerRequest, pgPerDelivery] = perUnit(pgCpu);
  return [
    {
      figure: 'tag a session (REST): one webhook endpoint vs none',
      ours: `${rate(mean(withOne), 'req/s')} (${withOne.map((r) => Math.round(r.requestsPerSecond)).join(', ')})`,
      raw: `${rate(mean(without), 'req/s')} (${without.map((r) => Math.round(r.requestsPerSecond)).join(', ')})`,
      ratio: pct(ratio),
      goal: '≥ 90%',
      met: ratio >= 0.9,
    },
    {
      figure: 'API process CPU: per tagging request, per delivery (load average during the rounds)',
      ours: `${(cpuPerRequest * 1000).toFixed(2)} ms per request, ${(cpuPerDelivery * 1000).toFixed(2)} ms per delivery`,
      raw: `${cpu.without.toFixed(1)} s without, ${cpu.withOne.toFixed(1)} s with; load ${loads.join(', ')} on ${os.cpus().length} CPUs`,
      ratio: '',
      goal: '',
      met: null,
    },
    {
      figure: 'PostgreSQL CPU (backends of this database): per tagging request, per delivery',
      ours: `${(pgPerRequest * 1000).toFixed(2)} ms per request, ${(pgPerDelivery * 1000).toFixed(2)} ms per delivery`,
      raw: `${pgCpu.without.toFixed(1)} s without, ${pgCpu.withOne.toFixed(1)} s with`,
      ratio: '',
      goal: '',
      met: null,
    },
    {
      figure: 'webhook deliveries to a local receiver (load start → queue drained)',
      ours: rate(deliveredDuringLoad / deliverySeconds, 'deliveries/s'),
      raw: `${deliveredDuringLoad} deliveries, ${unique} distinct of ${arrivals.length} requests`,
      ratio: '',
      goal: '',
      met: null,
    },
    {
      figure: 'event lag, committed → delivered',
      ours: `p50 ${ms(percentile(lags, 50))}, p99 ${ms(percentile(lags, 99))}`,
      raw: `max ${ms(lags.at(-1) ?? 0)}, ${lags.length} deliveries`,
      ratio: '',
      goal: '',
      met: null,
    },
  ];
}
