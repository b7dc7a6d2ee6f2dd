import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeTagName, tagNameKey } from '@tagging/contracts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { fixture, type WorkspaceFixture } from '../testing/workspace-fixture.ts';

/**
 * Create, rename, search and uniqueness of tag names against the one name function
 * (contracts' `normalizeTagName` and `tagNameKey`): random sequences over a pool of confusable
 * variants (case, NFC/NFD, full width, invisible characters, Turkish and Greek letters, emoji
 * sequences), through the REST routes, on whichever database the suite runs on.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const zwsp = '\u200B';
const zwj = '\u200D';
const shy = '\u00AD';
const fullWidth = (text: string) =>
  text.replace(/[!-~]/g, (char) => String.fromCodePoint((char.codePointAt(0) ?? 0) + 0xfee0));

/** Names that look alike (and a few that only nearly do), in several encodings each. */
const pool = [
  ...['VIP', 'vip', 'Vip', fullWidth('VIP'), `VIP${zwsp}`, `V${zwj}IP`, `VIP${shy}`, ` vip `, 'VIPs'],
  ...['Café', 'Cafe\u0301', 'CAFÉ', 'CAFE\u0301', fullWidth('Caf') + 'é', 'Cafe'],
  ...['İstanbul', 'i\u0307stanbul', 'Istanbul', 'ıstanbul', 'İSTANBUL'],
  ...['ΟΔΟΣ', 'οδος', 'οδοσ', 'Οδός', 'ΟΔΌΣ'],
  ...['Straße', 'STRASSE', 'strasse'],
  ...['👨‍👩‍👧', '👨👩👧', '👨‍👩‍👧‍👦', '❤️ fans', '❤ fans', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '🏴󠁧󠁢󠁥󠁮󠁧󠁿', '🏴'],
];
const types = ['common', 'clientStage'] as const;

type Command =
  | { kind: 'create'; name: string; type: (typeof types)[number] }
  | { kind: 'rename'; tag: number; name: string }
  | { kind: 'search'; q: string };

const nameArb = fc.constantFrom(...pool);
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('create' as const), name: nameArb, type: fc.constantFrom(...types) }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('rename' as const), tag: fc.nat(20), name: nameArb }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('search' as const),
      q: fc.oneof(
        nameArb,
        nameArb.map((name) => [...name].slice(0, 3).join('')),
      ),
    }),
  },
);

type ModelTag = { id: string; name: string; type: string };

async function run(ws: WorkspaceFixture, tags: ModelTag[], command: Command): Promise<string> {
  switch (command.kind) {
    case 'create': {
      const key = tagNameKey(command.name);
      const taken = tags.some((tag) => tag.type === command.type && tagNameKey(tag.name) === key);
      const {
        data: tag,
        error,
        response,
      } = await ws.rest.POST('/tags', {
        body: { name: command.name, type: command.type },
      });
      expect(response.status, JSON.stringify(tag ?? error)).toBe(taken ? 409 : 201);
      if (!taken) {
        if (!tag) throw new Error('a created tag has a body');
        expect(tag.name).toBe(normalizeTagName(command.name));
        tags.push({ id: tag.id, name: tag.name, type: command.type });
      }
      return `create ${JSON.stringify(command.name)} (${command.type}) → ${response.status}`;
    }
    case 'rename': {
      const tag = tags[command.tag % Math.max(tags.length, 1)];
      if (!tag) return 'rename: no tag yet';
      const key = tagNameKey(command.name);
      const taken = tags.some((other) => other !== tag && other.type === tag.type && tagNameKey(other.name) === key);
      const { data, error, response } = await ws.rest.PUT('/tags/{id}', {
        params: { path: { id: tag.id } },
        body: { name: command.name },
      });
      expect(response.status, JSON.stringify(data ?? error)).toBe(taken ? 409 : 200);
      if (!taken) tag.name = normalizeTagName(command.name);
      return `rename ${tag.id} to ${JSON.stringify(command.name)} → ${response.status}`;
    }
    case 'search': {
      const key = tagNameKey(command.q);
      const { data: page, response } = await ws.rest.GET('/tags', { params: { query: { limit: 500, q: command.q } } });
      expect(response.status).toBe(200);
      const found = (page?.tags ?? []).map((tag) => tag.id).sort();
      const expected = tags
        .filter((tag) => tagNameKey(tag.name).startsWith(key))
        .map((tag) => tag.id)
        .sort();
      expect(found, `search ${JSON.stringify(command.q)}`).toEqual(expected);
      return `search ${JSON.stringify(command.q)} → ${found.length}`;
    }
  }
}

/** What the database holds is what the name function says: the stored name and its key. */
async function expectStoredNames(ws: WorkspaceFixture, tags: ModelTag[]) {
  const rows = await server.db
    .fork()
    .execute<{ id: string; name: string; name_key: string; type: string }[]>(
      'select id, name, name_key, type from tag where workspace_id = ? order by id',
      [ws.id],
    );
  expect(rows).toEqual(
    [...tags]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((tag) => ({ id: tag.id, name: tag.name, name_key: tagNameKey(tag.name), type: tag.type })),
  );
}

describe('tag names against the one name function', () => {
  it('create, rename, search and uniqueness agree with tagNameKey over confusable names', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { minLength: 1, maxLength: 14 }), async (commands) => {
        const ws = await fixture(server, 'Names');
        const tags: ModelTag[] = [];
        const log: string[] = [];
        for (const command of commands) {
          try {
            log.push(await run(ws, tags, command));
          } catch (error) {
            throw new Error(`${log.join('\n')}\n✗ ${JSON.stringify(command)}\n${String(error)}`, { cause: error });
          }
        }
        await expectStoredNames(ws, tags);
      }),
      {
        numRuns: Number(process.env.TAG_NAME_RUNS ?? 25),
        interruptAfterTimeLimit: 120_000,
        markInterruptAsFailure: false,
      },
    );
  }, 180_000);
});
