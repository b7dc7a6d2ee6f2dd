import os from 'node:os';
import pg from 'pg';
import { defaultPropagationSettings, openDatabase, tagContact } from '@tagging/domain';
import { tagContactOnClient } from './floor-contact-tagging.ts';
import { median } from './db.ts';

/**
 * Node CPU of one write transaction, in process, without HTTP (issue 20, docs/PERFORMANCE.md
 * thirteenth round): tagging a contact through the domain (`tagContact`: its `inTransaction`, its
 * locks, store statements and event) against the same eight round trips on a bare `pg` pool
 * client (`tagContactOnClient`, what the floor server runs). What is left between
 * the two is the transaction layer and the domain's own code. Interleaved rounds, 8 in flight.
 * Usage: `TX_DATABASE_URL=postgres://…/tagging_speed ./pnpm --filter @tagging/bench transaction-cpu` on a
 * database made by `speed.ts`; `TX_ROUNDS` (7), `TX_PER_ROUND` (2,000).
 */
const url = process.env.TX_DATABASE_URL;
if (!url) throw new Error('TX_DATABASE_URL is required');
const rounds = Number(process.env.TX_ROUNDS ?? '7');
const perRound = Number(process.env.TX_PER_ROUND ?? '2000');
const inFlight = 8;
const workspaceId = 1;

type Pair = { contact: string; tag: string };
const needed = 2 * (rounds + 1) * perRound;
const sql = new pg.Pool({ connectionString: url, max: 10, idleTimeoutMillis: 0 });
// Fresh (contact, tag) pairs: every call writes a new row and propagates it.
const pairs = (
  await sql.query<Pair>(
    `select c.id as contact, t.id as tag
     from (select id from contact where workspace_id = $1 order by md5(id || $2) limit 8000) c
     cross join (select id from tag where workspace_id = $1 order by id desc limit 60) t
     where not exists (select 1 from entity_tag et where et.workspace_id = $1 and et.entity_type = 'contact'
                         and et.entity_id = c.id and et.tag_id = t.id)
     order by md5(c.id || t.id || $2) limit $3`,
    [workspaceId, String(Date.now()), needed],
  )
).rows;
if (pairs.length < needed) throw new Error(`only ${pairs.length} fresh pairs`);
const [key] = (await sql.query<{ id: string }>('select id from api_key where workspace_id = $1 limit 1', [workspaceId]))
  .rows;
if (!key) throw new Error('the workspace has no API key');

const db = await openDatabase({ target: { kind: 'postgres', url, poolSize: 10 } });
const actor = { apiKeyId: key.id };

const throughDomain = (pair: Pair) =>
  tagContact(
    db.fork(),
    workspaceId,
    { workspaceId, contactId: pair.contact, tagId: pair.tag },
    defaultPropagationSettings,
    actor,
  );

const onBareClient = async (pair: Pair) => {
  const client = await sql.connect();
  try {
    const tagging = await tagContactOnClient(client, workspaceId, key.id, pair.contact, pair.tag);
    if (tagging.outcome !== 'tagged') throw new Error(`bare tagging: ${tagging.outcome}`);
  } finally {
    client.release();
  }
};

let next = 0;
/** µs of this process's CPU (user + system) per call, `inFlight` calls at a time. */
async function cpuPerCall(call: (pair: Pair) => Promise<unknown>): Promise<number> {
  const end = next + perRound;
  const before = process.cpuUsage();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < end) await call(pairs[next++] as Pair);
    }),
  );
  const used = process.cpuUsage(before);
  return (used.user + used.system) / perRound;
}

const samples = { domain: [] as number[], bare: [] as number[] };
await cpuPerCall(throughDomain); // warm-up of both, not counted
await cpuPerCall(onBareClient);
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? (['domain', 'bare'] as const) : (['bare', 'domain'] as const);
  for (const side of order) samples[side].push(await cpuPerCall(side === 'domain' ? throughDomain : onBareClient));
}
const f0 = (n: number) => n.toFixed(0);
console.log(
  `${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')}`,
);
console.log(
  `Node CPU per tag-a-contact transaction, µs (median of ${rounds} rounds of ${perRound}, ${inFlight} in flight):`,
);
console.log(`- through the domain (tagContact): ${f0(median(samples.domain))} (${samples.domain.map(f0).join(', ')})`);
console.log(
  `- the same statements on a bare pg client: ${f0(median(samples.bare))} (${samples.bare.map(f0).join(', ')})`,
);
await db.close();
await sql.end();
