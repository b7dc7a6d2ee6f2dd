import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveContactsParams, resolveContactsSql, type ContactReference } from '@tagging/domain';
import { startTestServer, type TestServer, type TestWorkspace } from '../testing/test-server.ts';
import { fixture, type WorkspaceFixture } from '../testing/workspace-fixture.ts';

/**
 * Bulk session upsert resolves each item's contact with index probes, whatever the workspace's
 * size: checked on the query plan (deterministic, no timing), and on the result at that size.
 * Issue 18: a join on `id = … or external_id = …` filtered every contact for every item.
 */
let server: TestServer;
let workspace: WorkspaceFixture;
let other: TestWorkspace;
const contacts = 20_000;
const contactId = (n: number) => `contact_00000000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;

/** Set-based, like an import: both workspaces use the same external ids, only ids differ. */
const importContacts = (workspaceId: number, idHead: string) =>
  server.db.fork().execute(
    `insert into contact (workspace_id, id, name, external_id)
     select ?, ? || lpad(to_hex(n), 12, '0'), 'Contact ' || n, 'crm-' || n from generate_series(1, ?) n`,
    [workspaceId, idHead, contacts],
  );

beforeAll(async () => {
  server = await startTestServer({ worker: false });
  workspace = await fixture(server, 'Many contacts');
  other = await server.newWorkspace('Neighbour');
  // The hard case for the planner: statistics that know the neighbour's contacts but not this
  // workspace's, imported after the last analyze (and no autovacuum to catch up in between).
  await server.db.fork().execute('alter table contact set (autovacuum_enabled = off)');
  await importContacts(other.id, 'contact_00000000-0000-7000-9000-');
  await server.db.fork().execute('analyze contact');
  await importContacts(workspace.id, 'contact_00000000-0000-7000-8000-');
});
afterAll(() => server.close());

type PlanNode = {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Cond'?: string;
  'Join Filter'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  Filter?: string;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Join Filter'?: number;
  Plans?: PlanNode[];
};
const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

async function plan(options: string, references: ContactReference[]): Promise<PlanNode[]> {
  const rows = await server.db
    .fork()
    .execute<Record<string, unknown>[]>(
      `explain (${options}, format json) ${resolveContactsSql}`,
      resolveContactsParams(workspace.id, references),
    );
  const raw = rows[0]?.['QUERY PLAN'];
  const document = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
  const root = document[0]?.Plan;
  if (!root) throw new Error('no plan');
  return nodesOf(root);
}

// 2,000 items: by external id, by id, unknown, another workspace's id, and no link.
/** Each item's contact reference, as the API takes it (the domain's reference type also takes `null`). */
const references: { contactId?: string; contactExternalId?: string }[] = Array.from({ length: 2000 }, (_, i) => {
  if (i < 1500) return { contactExternalId: `crm-${1 + ((i * 7919) % contacts)}` };
  if (i < 1700) return { contactId: contactId(1 + i) };
  if (i < 1800) return { contactExternalId: `missing-${i}` };
  if (i < 1900) return { contactId: `contact_00000000-0000-7000-9000-${(1 + i).toString(16).padStart(12, '0')}` };
  return {};
});

describe('bulk session upsert in a workspace of 20,000 contacts', () => {
  for (const statistics of ['with statistics older than the import', 'after analyze'] as const) {
    it(`resolves contacts by index probes only, ${statistics}`, async () => {
      if (statistics === 'after analyze') await server.db.fork().execute('analyze contact');
      // The shape first (not executed): a plan that filters every contact would take minutes here.
      const shape = await plan('costs off', references);
      expect(shape.filter((node) => node['Join Filter'] !== undefined)).toEqual([]);
      const contactScans = shape.filter((node) => node['Relation Name'] === 'contact');
      expect(contactScans.length).toBeGreaterThan(0);
      for (const scan of contactScans) {
        // A probe of the whole unique key: the workspace and the id or external id, no filter.
        expect(['Index Scan', 'Index Only Scan']).toContain(scan['Node Type']);
        expect(scan['Index Cond']).toMatch(/workspace_id = .* AND \(?(id|external_id) = /);
        expect(scan.Filter).toBeUndefined();
      }
      // Executed: the contact rows read are at most one per item, none filtered away.
      const executed = (await plan('analyze, costs off', references)).filter((n) => n['Relation Name'] === 'contact');
      const loops = (node: PlanNode) => node['Actual Loops'] ?? 0;
      const read = executed.reduce((sum, node) => sum + (node['Actual Rows'] ?? 0) * loops(node), 0);
      const filtered = executed.reduce((sum, node) => sum + (node['Rows Removed by Filter'] ?? 0) * loops(node), 0);
      expect(read).toBeLessThanOrEqual(references.length);
      expect(filtered).toBe(0);
    });
  }

  it('links and reports each item as before', async () => {
    const sessions = references.map((reference, i) => ({ externalId: `s-${i}`, ...reference }));
    const { data: result, response } = await workspace.rest.POST('/sessions/bulk', { body: { sessions } });
    expect(response.status).toBe(200);
    if (!result) throw new Error('the bulk upsert has a body');
    expect(result.created).toBe(1800);
    expect(result.errors.map((error) => [error.index, error.code])).toEqual(
      Array.from({ length: 200 }, (_, i) => [1700 + i, 'NOT_FOUND']),
    );
    const links = await server.db
      .fork()
      .execute<{ external_id: string; contact_id: string | null }[]>(
        'select external_id, contact_id from session where workspace_id = ?',
        [workspace.id],
      );
    const linkOf = new Map(links.map((row) => [row.external_id, row.contact_id]));
    expect(linkOf.get('s-0')).toBe(contactId(1));
    expect(linkOf.get('s-1')).toBe(contactId(1 + (7919 % contacts)));
    expect(linkOf.get('s-1500')).toBe(contactId(1501));
    expect(linkOf.get('s-1999')).toBeNull();
    expect(linkOf.has('s-1750')).toBe(false);
    expect([...linkOf.values()].filter((id) => id !== null)).toHaveLength(1700);
  });
});
