/** Data sizes and durations; `BENCH_SCALE` (default 1) scales every data size, e.g. 0.1 for a quick try. */
const scale = Number(process.env.BENCH_SCALE ?? '1');
const scaled = (n: number): number => Math.max(1, Math.round(n * scale));

export const config = {
  scale,
  databaseBaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  databaseName: process.env.BENCH_DATABASE ?? 'tagging_bench',
  port: Number(process.env.BENCH_PORT ?? '3900'),
  contacts: scaled(1_000_000),
  tags: 200,
  /** Sessions of contacts 1..4: one with 1,000,000, three with 100,000. */
  bigContacts: [scaled(1_000_000), scaled(100_000), scaled(100_000), scaled(100_000)],
  otherWorkspaces: 4,
  otherContacts: scaled(20_000),
  connections: 32,
  loadSeconds: Number(process.env.BENCH_LOAD_SECONDS ?? '10'),
  warmupSeconds: 3,
  repeats: 5,
} as const;
