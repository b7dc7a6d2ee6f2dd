// Per-batch queue overhead: the hand-written claim (in the batch's own transaction) against
// pg-boss (fetch, then the batch's transaction, then complete and send the next batch's job).
// Only the queue's work is timed: the batch itself (the set-based statement) is the same in both
// and left out. `DATABASE_URL=postgres://... node bench/src/queue-overhead.ts [batches]`
import { PgBoss } from 'pg-boss';
import { connect, since, withDatabase, withClient, adminUrl } from './db.ts';

const batches = Number(process.argv[2] ?? 1000);
const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) throw new Error('set DATABASE_URL to a PostgreSQL server');
const database = `queue_bench_${process.pid}`;
await withClient(adminUrl(baseUrl), (sql) => sql.query(`create database ${database}`));
const url = withDatabase(baseUrl, database);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
const summary = (name: string, times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  return `${name.padEnd(44)} mean ${mean.toFixed(3)} ms  p50 ${percentile(sorted, 0.5).toFixed(3)}  p99 ${percentile(sorted, 0.99).toFixed(3)}`;
};

try {
  const sql = await connect(url);
  // The job table as the service has it (columns that matter, the claim's partial index).
  await sql.query(`create table propagation_job (workspace_id int, id text, status text not null default 'pending',
    cursor text, processed_sessions int not null default 0, attempts int not null default 0,
    run_after timestamptz not null default now(), updated_at timestamptz not null default now(),
    primary key (workspace_id, id))`);
  await sql.query(`create index on propagation_job (run_after) where status in ('pending', 'running')`);
  await sql.query(`insert into propagation_job (workspace_id, id) values (1, 'job_1')`);

  // A: claim + progress inside the batch's transaction (what the worker does).
  const handWritten: number[] = [];
  for (let i = 0; i < batches; i++) {
    const start = performance.now();
    await sql.query('begin');
    const { rows } = await sql.query<{ workspace_id: number; id: string }>(
      `select * from propagation_job where status in ('pending', 'running') and run_after <= now()
       order by run_after limit 1 for update skip locked`,
    );
    const job = rows[0];
    if (!job) throw new Error('no job');
    await sql.query(
      `update propagation_job set cursor = $1, processed_sessions = processed_sessions + 5000, attempts = 0,
         status = 'running', updated_at = now() where workspace_id = $2 and id = $3`,
      [`wses_${i}`, job.workspace_id, job.id],
    );
    await sql.query('commit');
    handWritten.push(since(start));
  }

  // B: pg-boss carries the job; the cursor still needs a row of ours, written with the batch.
  const boss = new PgBoss({ connectionString: url, max: 2, schedule: false, supervise: false });
  boss.on('error', (error) => console.error(error));
  await boss.start();
  await boss.createQueue('propagation');
  await boss.send('propagation', { workspaceId: 1, id: 'job_1' });
  const withBoss: number[] = [];
  for (let i = 0; i < batches; i++) {
    const start = performance.now();
    const [job] = await boss.fetch<{ workspaceId: number; id: string }>('propagation');
    if (!job) throw new Error('no pg-boss job');
    await sql.query('begin');
    await sql.query(
      `update propagation_job set cursor = $1, processed_sessions = processed_sessions + 5000,
         updated_at = now() where workspace_id = $2 and id = $3`,
      [`wses_${i}`, job.data.workspaceId, job.data.id],
    );
    await sql.query('commit');
    // The next batch is the next job; then this one completes (two statements, two transactions).
    await boss.send('propagation', job.data);
    await boss.complete('propagation', job.id);
    withBoss.push(since(start));
  }
  await boss.stop({ graceful: false });
  await sql.end();

  console.log(`${batches} batches each, one connection, PostgreSQL ${baseUrl.replace(/\/\/[^@]*@/, '//')}`);
  console.log(summary('hand-written: claim + progress in one txn', handWritten));
  console.log(summary('pg-boss: fetch + progress txn + send + complete', withBoss));
} finally {
  await withClient(adminUrl(baseUrl), (sql) => sql.query(`drop database if exists ${database} with (force)`));
}
