import { webhookBenchmarks } from './webhooks.ts';

const started = performance.now();
const rows = await webhookBenchmarks((line) =>
  console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`),
);
for (const row of rows) console.log(`${row.figure}: ${row.ours} | ${row.raw} | ${row.ratio} ${row.goal}`);
