import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { tagNameKey } from '@tagging/contracts';
import { inMemory } from '../src/db/database-config.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { findInvariantViolations } from '../src/invariants/check-invariants.ts';

/**
 * The tag name key migration on data written under the old rule (unique on `lower(name)`): tags
 * that the key makes one are merged into the oldest, their entity tags moved, and the merge is
 * reported. On PGlite, or on a database of its own on the DATABASE_URL server.
 */
const before = 'Migration20261123114459_exports';
const databaseUrl = process.env.DATABASE_URL;
const name = `tagging_migration_${randomBytes(6).toString('hex')}`;
const withDatabase = (url: string, database: string) =>
  Object.assign(new URL(url), { pathname: `/${database}` }).toString();

let admin: Database | undefined;
let db: Database;

beforeAll(async () => {
  if (databaseUrl) {
    admin = await openDatabase({ target: { kind: 'postgres', url: databaseUrl, poolSize: 1 } });
    await admin.fork().execute(`create database ${name}`);
    db = await openDatabase({ target: { kind: 'postgres', url: withDatabase(databaseUrl, name), poolSize: 2 } });
  } else db = await openDatabase({ target: { kind: 'pglite', dataDir: inMemory } });
  await db.orm.migrator.up({ to: before });
});
afterAll(async () => {
  await db.close();
  if (admin) {
    await admin.fork().execute(`drop database if exists ${name} with (force)`);
    await admin.close();
  }
});

it('keys existing tags, merges the ones the key makes one, and reports each merge', async () => {
  const em = db.fork();
  await em.execute(`insert into workspace (id, name) values (1, 'Old')`);
  // Café precomposed (oldest), Café decomposed and full-width VIP next to VIP: allowed by lower(name).
  await em.execute(
    `insert into tag (workspace_id, id, name, type, "order", created_at) values
       (1, 'wtag_1', 'Café', 'common', 1, now() - interval '3 days'),
       (1, 'wtag_2', 'Cafe\u0301', 'common', 2, now() - interval '2 days'),
       (1, 'wtag_3', 'VIP', 'common', 3, now() - interval '2 days'),
       (1, 'wtag_4', 'ＶＩＰ', 'common', 4, now() - interval '1 day'),
       (1, 'wtag_5', 'V\u200BIP', 'clientStage', 5, now()),
       (1, 'wtag_6', ' Cafe\u0301 ', 'common', 6, now())`,
  );
  await em.execute(`insert into contact (workspace_id, id, name) values (1, 'contact_a', 'A'), (1, 'contact_b', 'B')`);
  await em.execute(`insert into session (workspace_id, id, name, contact_id) values (1, 'wses_a', 'S', 'contact_a')`);
  // A has both Cafés (direct), its session inherits both; B has only the decomposed one.
  await em.execute(
    `insert into entity_tag (workspace_id, id, entity_type, entity_id, tag_id, source_type, source_entity_type, source_entity_id) values
       (1, 'etag_1', 'contact', 'contact_a', 'wtag_1', 'direct', null, null),
       (1, 'etag_2', 'contact', 'contact_a', 'wtag_2', 'direct', null, null),
       (1, 'etag_3', 'session', 'wses_a', 'wtag_1', 'inherited', 'contact', 'contact_a'),
       (1, 'etag_4', 'session', 'wses_a', 'wtag_2', 'inherited', 'contact', 'contact_a'),
       (1, 'etag_5', 'contact', 'contact_b', 'wtag_2', 'direct', null, null),
       (1, 'etag_6', 'contact', 'contact_b', 'wtag_4', 'direct', null, null)`,
  );

  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    await db.migrate();
    const reports = warn.mock.calls.map((call) => String(call[0]));
    expect(reports).toHaveLength(2);
    expect(reports.find((r) => r.includes('wtag_1'))).toMatch(
      /merged wtag_2 .*, wtag_6 .* into wtag_1 .*1 entity tags moved, 2 duplicates collapsed/,
    );
    expect(reports.find((r) => r.includes('wtag_3'))).toMatch(
      /merged wtag_4 .* into wtag_3 .*1 entity tags moved, 0 duplicates collapsed/,
    );
  } finally {
    warn.mockRestore();
  }

  const tags = await db
    .fork()
    .execute<{ id: string; name: string; name_key: string; type: string }[]>(
      'select id, name, name_key, type from tag order by id',
    );
  expect(tags).toEqual([
    { id: 'wtag_1', name: 'Café', name_key: tagNameKey('Café'), type: 'common' },
    { id: 'wtag_3', name: 'VIP', name_key: 'vip', type: 'common' },
    { id: 'wtag_5', name: 'V\u200BIP', name_key: 'vip', type: 'clientStage' },
  ]);
  const rows = await db
    .fork()
    .execute<{ entity_id: string; tag_id: string; source_type: string }[]>(
      'select entity_id, tag_id, source_type from entity_tag order by entity_id, tag_id',
    );
  expect(rows).toEqual([
    { entity_id: 'contact_a', tag_id: 'wtag_1', source_type: 'direct' },
    { entity_id: 'contact_b', tag_id: 'wtag_1', source_type: 'direct' },
    { entity_id: 'contact_b', tag_id: 'wtag_3', source_type: 'direct' },
    { entity_id: 'wses_a', tag_id: 'wtag_1', source_type: 'inherited' },
  ]);
  expect(await findInvariantViolations(db.fork())).toEqual([]);
});
