import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdirSync } from 'node:fs';
import { config } from './config.ts';
import { connect } from './db.ts';
import { generate } from './generate.ts';
import { api } from './http.ts';
import { startServer } from './server.ts';
import { sessionUpsertBenchmarks, sessionUpsertRows } from './session-upsert.ts';
import { cli, createBenchDatabase, createOtherWorkspaces } from './setup.ts';

/**
 * `pnpm --filter @tagging/bench session-upsert`: the bulk session upsert case of `./pnpm bench`
 * alone, on the same generated data set (a full run takes much longer).
 */
const logDir = fileURLToPath(new URL('../.logs/', import.meta.url));
mkdirSync(logDir, { recursive: true });
const db = await createBenchDatabase(config.databaseBaseUrl, config.databaseName);
const others = await createOtherWorkspaces(db.url, config.otherWorkspaces);
const sql = await connect(db.url);
const data = await generate(
  sql,
  [
    { workspaceId: db.workspaceId, contacts: config.contacts, tags: config.tags, bigContacts: config.bigContacts },
    ...others.map((id) => ({ workspaceId: id, contacts: config.otherContacts, tags: 50, bigContacts: [] })),
  ],
  console.log,
);
const smallKey = (
  JSON.parse(await cli(db.url, ['key', 'create', '--workspace', String(others[0]), '--json'])) as {
    apiKey: { secret: string };
  }
).apiKey.secret;
const server = await startServer({
  port: config.port,
  env: { DATABASE_URL: db.url, PROPAGATION_SYNC_LIMIT: '2000000' },
  logFile: path.join(logDir, 'server-session-upsert.log'),
});
try {
  const figures = await sessionUpsertBenchmarks(
    api(server.baseUrl, db.apiKey),
    sql,
    db.workspaceId,
    api(server.baseUrl, smallKey),
  );
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `\n${os.cpus().length} CPUs (${cpu}), load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; ` +
      `${data.contacts.toLocaleString('en-US')} contacts, ${data.sessions.toLocaleString('en-US')} sessions; scale ${config.scale}`,
  );
  for (const row of sessionUpsertRows(figures))
    console.log(
      `| ${row.figure} | ${row.ours} | ${row.raw} | ${row.ratio} | ${row.goal} | ${row.met ? 'yes' : '**no**'} |`,
    );
} finally {
  await server.stop();
  await sql.end();
}
