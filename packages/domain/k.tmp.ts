import { openDatabase } from './src/index.ts';
import { formatExportRows } from './src/exports/export-rows.ts';
import { stringify } from 'csv-stringify/sync';
const db = await openDatabase({ target: { kind: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/exports_bench' } });
const q = `select c.id, c.name, c.external_id, c.created_at,
            to_jsonb(array(
              select t.name from entity_tag et join tag t on t.workspace_id = et.workspace_id and t.id = et.tag_id
              where et.workspace_id = c.workspace_id and et.entity_type = 'contact' and et.entity_id = c.id
              order by t."order", t.id)) as tags
     from contact c where c.workspace_id = 1 and c.id > '' order by c.id limit 10000`;
for (let i = 0; i < 3; i++) {
  let s = performance.now();
  const rows = await db.fork().execute<any[]>(q);
  const read = performance.now() - s; s = performance.now();
  const e = await db.fork().execute<any[]>('explain (analyze, format json) ' + q);
  const explain = performance.now() - s;
  s = performance.now();
  formatExportRows('csv', rows, { first: false });
  const fmt = performance.now() - s; s = performance.now();
  formatExportRows('jsonl', rows, { first: false });
  const fj = performance.now() - s; s = performance.now();
  const cells = rows.map((r) => [r.id, r.name, r.external_id ?? '', JSON.stringify(r.tags), String(r.created_at)]);
  const mapped = performance.now() - s; s = performance.now();
  stringify(cells, { escape_formulas: true, record_delimiter: 'unix' });
  const strf = performance.now() - s;
  console.log({ read, explainMs: explain, serverExec: (e[0] as any)['QUERY PLAN']?.[0]?.['Execution Time'], fmt, fj, mapped, strf });
}
await db.close();
