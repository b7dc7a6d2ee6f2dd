import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdirSync } from 'node:fs';
import { config } from './config.ts';
import { connect } from './db.ts';
import { generate } from './generate.ts';
import { api } from './http.ts';
import { exportBenchmark, exportRows, type ExportFigure } from './reads.ts';
import { startServer } from './server.ts';
import { createBenchDatabase } from './setup.ts';

/**
 * `pnpm --filter @tagging/bench export`: the export rows of `./pnpm bench` alone, on the same
 * workspace shape (`config.contacts` contacts with the generator's tags; the big session fan-outs
 * are left out, exports do not read sessions). `BENCH_EXPORT_ROUNDS` rounds (default 2), each
 * csv, jsonl, xlsx with a COPY right after each, so that load from other work on the machine
 * hits both sides alike.
 */
const rounds = Number(process.env.BENCH_EXPORT_ROUNDS ?? '2');
/** `BENCH_EXPORT_FORMATS` (comma-separated, default `csv,jsonl,xlsx`): the formats measured each round. */
const formats = (process.env.BENCH_EXPORT_FORMATS ?? 'csv,jsonl,xlsx').split(',') as ('csv' | 'jsonl' | 'xlsx')[];
const logDir = fileURLToPath(new URL('../.logs/', import.meta.url));
mkdirSync(logDir, { recursive: true });
const db = await createBenchDatabase(config.databaseBaseUrl, config.databaseName);
const sql = await connect(db.url);
const data = await generate(
  sql,
  [{ workspaceId: db.workspaceId, contacts: config.contacts, tags: config.tags, bigContacts: [] }],
  console.log,
);
const server = await startServer({
  port: config.port,
  env: { DATABASE_URL: db.url },
  logFile: path.join(logDir, 'server-export.log'),
});
const target = api(server.baseUrl, db.apiKey);
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
try {
  const figures: ExportFigure[] = [];
  for (let round = 1; round <= rounds; round++)
    for (const format of formats) {
      const figure = await exportBenchmark(target, server, db.url, db.workspaceId, format);
      figures.push(figure);
      console.log(`round ${round} ${format}: load average ${load()}`);
      for (const row of exportRows([figure]))
        console.log(`| ${row.figure} | ${row.ours} | ${row.raw} | ${row.ratio} |`);
    }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const pg = (await sql.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]?.v ?? '?';
  console.log(
    `\n${os.cpus().length} CPUs (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ` +
      `PostgreSQL ${pg}; load average ${load()}; ` +
      `${data.contacts.toLocaleString('en-US')} contacts, ${data.entityTags.toLocaleString('en-US')} entity tags; scale ${config.scale}`,
  );
  for (const row of exportRows(figures))
    console.log(
      `| ${row.figure} | ${row.ours} | ${row.raw} | ${row.ratio} | ${row.goal} | ${row.met === null ? '—' : row.met ? 'yes' : '**no**'} |`,
    );
} finally {
  await server.stop();
  await sql.end();
}
