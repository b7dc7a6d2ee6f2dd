import { readFileSync } from 'node:fs';
import path from 'node:path';
import { connect } from './db.ts';
import { api } from './http.ts';
import { load } from './load.ts';
import { startServer } from './server.ts';

/**
 * PostgreSQL CPU of one service with no traffic (its background loops, chiefly the event
 * sequencer's passes), ms per second, after `SEQ_WRITE_SECONDS` of tag-a-session writes (0 by
 * default) to leave numbered events behind (issue 20). Takes `AB_A` (the checkout),
 * `AB_DATABASE_URL`, `AB_KEY` and `AB_PORT` as `ab.ts` does: `./pnpm --filter @tagging/bench exec
 * node src/seq-idle.ts`.
 */
const [root, url, key, port] = [
  process.env.AB_A ?? '',
  process.env.AB_DATABASE_URL ?? '',
  process.env.AB_KEY ?? '',
  Number(process.env.AB_PORT ?? '3941'),
];
const writeSeconds = Number(process.env.SEQ_WRITE_SECONDS ?? '0');
const w = Number(process.env.AB_WORKSPACE ?? '1');
const sql = await connect(url);
const cpu = async () => {
  let ms = 0;
  const pids = (
    await sql.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    )
  ).rows;
  for (const { pid } of pids) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      ms += (Number(f[11]) + Number(f[12])) * 10;
    } catch {
      /* gone */
    }
  }
  return ms;
};
const flags = readFileSync(path.join(root, 'apps/api/node-flags'), 'utf8').split(/\s+/).filter(Boolean);
const server = await startServer({
  port,
  env: { DATABASE_URL: url, DATABASE_POOL_SIZE: '10' },
  logFile: '/tmp/seq-idle.log',
  script: path.join(root, 'apps/api/src/main.ts'),
  extraNodeArgs: flags,
});
if (writeSeconds > 0) {
  const pairs = (
    await sql.query<{ s: string; t: string }>(
      `select s.id as s, t.id as t from (select id from session where workspace_id = $1 order by md5(id) limit 20000) s
     cross join (select id from tag where workspace_id = $1 order by id limit 60) t
     where not exists (select 1 from entity_tag et where et.workspace_id = $1 and et.entity_type = 'session'
                         and et.entity_id = s.id and et.tag_id = t.id) limit 200000`,
      [w],
    )
  ).rows;
  let i = 0;
  const r = await load({
    ...api(server.baseUrl, key),
    connections: 16,
    seconds: writeSeconds,
    next: () => {
      const p = pairs[i++ % pairs.length];
      return {
        method: 'POST',
        path: `/api/entity-tags/sessions/${p?.s}/tags?workspaceId=${w}`,
        body: JSON.stringify({ tagId: p?.t }),
      };
    },
  });
  console.log(`wrote ${r.ok} tags (${r.non2xx} non-2xx)`);
}
await new Promise((resolve) => setTimeout(resolve, 5000));
for (let i = 0; i < 2; i++) {
  const before = await cpu();
  await new Promise((resolve) => setTimeout(resolve, 10_000));
  console.log(`${path.basename(root)}: idle PostgreSQL CPU ${((await cpu()) - before) / 10} ms per second`);
}
await server.stop();
await sql.end();
