import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restCall, startTestServer, type TestServer, type TestWorkspace } from '@tagging/api/testing';
import { createTaggingClient, TaggingApiError } from '../src/index.ts';

/**
 * Issue 14's name table, row by row, on every dialect that creates, renames or searches tags:
 * REST (`/api/tags`), Zapini (`/api/v1/tags`), GraphQL (`createTag`/`tags` at `/core/gq`) and
 * tRPC through the SDK (`tags.*`). Each row runs in a workspace of its own.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

type Created = { outcome: 'created'; id: string; name: string } | { outcome: 'conflict' | 'invalid' };
type Renamed = 'renamed' | 'conflict' | 'invalid';
type Dialect = {
  name: string;
  /** The dialect's length limit in user-perceived characters. */
  maxLength: number;
  create: (ws: TestWorkspace, name: string, type?: string) => Promise<Created>;
  rename?: (ws: TestWorkspace, id: string, name: string) => Promise<Renamed>;
  search?: (ws: TestWorkspace, q: string) => Promise<string[]>;
  /** Creates take a tag type. */
  typed: boolean;
};

const outcomeOf = (status: number): 'conflict' | 'invalid' => {
  if (status === 409) return 'conflict';
  if (status === 400) return 'invalid';
  throw new Error(`unexpected status ${status}`);
};

const rest: Dialect = {
  name: 'REST /api/tags',
  maxLength: 100,
  typed: true,
  create: async (ws, name, type) => {
    const response = await restCall(server, 'POST', '/api/tags', { apiKey: ws.apiKey, body: { name, type } });
    if (response.status !== 201) return { outcome: outcomeOf(response.status) };
    const tag = response.body as { id: string; name: string };
    return { outcome: 'created', id: tag.id, name: tag.name };
  },
  rename: async (ws, id, name) => {
    const response = await restCall(server, 'PUT', `/api/tags/${id}`, { apiKey: ws.apiKey, body: { name } });
    return response.status === 200 ? 'renamed' : outcomeOf(response.status);
  },
  search: async (ws, q) => {
    const response = await restCall(server, 'GET', `/api/tags?q=${encodeURIComponent(q)}`, { apiKey: ws.apiKey });
    expect(response.status).toBe(200);
    return (response.body as { tags: { name: string }[] }).tags.map((tag) => tag.name);
  },
};

const zapini: Dialect = {
  name: 'Zapini /api/v1/tags',
  maxLength: 50,
  typed: false,
  create: async (ws, name) => {
    const response = await restCall(server, 'POST', '/api/v1/tags', {
      apiKey: ws.apiKey,
      body: { name, color: '#ef4444' },
    });
    if (response.status !== 201) {
      expect(response.body).toMatchObject({ success: false });
      return { outcome: outcomeOf(response.status) };
    }
    const { tag } = (response.body as { data: { tag: { id: string; name: string } } }).data;
    return { outcome: 'created', id: tag.id, name: tag.name };
  },
  rename: async (ws, id, name) => {
    const response = await restCall(server, 'PATCH', `/api/v1/tags/${id}`, { apiKey: ws.apiKey, body: { name } });
    return response.status === 200 ? 'renamed' : outcomeOf(response.status);
  },
};

type GraphQLBody = { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] };
const gq = async (ws: TestWorkspace, query: string, input: Record<string, unknown>) => {
  const response = await restCall(server, 'POST', '/core/gq', {
    headers: { authorization: ws.apiKey },
    body: { query, variables: { input: { workspaceId: ws.id, ...input } } },
  });
  expect(response.status).toBe(200);
  return response.body as GraphQLBody;
};

const graphql: Dialect = {
  name: 'GraphQL /core/gq',
  maxLength: 100,
  typed: true,
  create: async (ws, tag, type = 'common') => {
    const body = await gq(ws, 'mutation ($input: TagCreateInput!) { createTag(input: $input) { id tag } }', {
      tag,
      type,
    });
    const code = body.errors?.[0]?.extensions?.code;
    if (code === 'CONFLICT') return { outcome: 'conflict' };
    if (code === 'VALIDATION_ERROR') return { outcome: 'invalid' };
    expect(body.errors).toBeUndefined();
    const created = body.data?.createTag as { id: string; tag: string };
    return { outcome: 'created', id: created.id, name: created.tag };
  },
  search: async (ws, tag) => {
    const body = await gq(ws, 'query ($input: TagsInput!) { tags(input: $input) { nodes { tag } } }', { tag });
    expect(body.errors).toBeUndefined();
    return (body.data?.tags as { nodes: { tag: string }[] }).nodes.map((node) => node.tag);
  },
};

const trpcFailure = (error: unknown): 'conflict' | 'invalid' => {
  const apiError = TaggingApiError.from(error);
  if (apiError.code === 'CONFLICT') return 'conflict';
  if (apiError.code === 'VALIDATION_ERROR') return 'invalid';
  throw error;
};
const sdk = (ws: TestWorkspace) => createTaggingClient({ baseUrl: server.url, apiKey: ws.apiKey });

const trpc: Dialect = {
  name: 'tRPC tags.* (SDK)',
  maxLength: 100,
  typed: true,
  create: async (ws, name, type) => {
    try {
      const tag = await sdk(ws).tags.create.mutate({
        name,
        ...(type ? { type: type as 'common' } : {}),
      });
      return { outcome: 'created', id: tag.id, name: tag.name };
    } catch (error) {
      return { outcome: trpcFailure(error) };
    }
  },
  rename: async (ws, id, name) => {
    try {
      await sdk(ws).tags.update.mutate({ id, name });
      return 'renamed';
    } catch (error) {
      return trpcFailure(error);
    }
  },
  search: async (ws, q) => (await sdk(ws).tags.list.query({ q })).tags.map((tag) => tag.name),
};

const dialects = [rest, zapini, graphql, trpc];
const searchable = dialects.filter((dialect) => dialect.search);
const renaming = dialects.filter((dialect) => dialect.rename);
const typed = dialects.filter((dialect) => dialect.typed);

const created = async (dialect: Dialect, ws: TestWorkspace, name: string, type?: string) => {
  const result = await dialect.create(ws, name, type);
  if (result.outcome !== 'created') throw new Error(`creating ${JSON.stringify(name)}: ${result.outcome}`);
  return result;
};

const precomposed = 'Caf\u00e9';
const decomposed = 'Cafe\u0301';
const vipLookalikes = {
  'full-width ＶＩＰ': '\uFF36\uFF29\uFF30',
  'VIP + zero-width space': 'VIP\u200B',
  'V + zero-width joiner + IP': 'V\u200DIP',
  'VIP + soft hyphen': 'VIP\u00AD',
};

describe.each(dialects)('tag names on $name', (dialect) => {
  it('refuses a decomposed Café after the precomposed one (409), and stores NFC', async () => {
    const ws = await server.newWorkspace();
    const first = await created(dialect, ws, decomposed);
    expect(first.name).toBe(precomposed);
    expect((await dialect.create(ws, precomposed)).outcome).toBe('conflict');
  });

  it.each(Object.entries(vipLookalikes))('refuses %s after VIP (409)', async (_, lookalike) => {
    const ws = await server.newWorkspace();
    await created(dialect, ws, 'VIP');
    expect((await dialect.create(ws, lookalike)).outcome).toBe('conflict');
  });

  it('refuses οδος after ΟΔΟΣ (409)', async () => {
    const ws = await server.newWorkspace();
    await created(dialect, ws, 'ΟΔΟΣ');
    expect((await dialect.create(ws, 'οδος')).outcome).toBe('conflict');
  });

  it('counts user-perceived characters: n × é gives the same answer precomposed or decomposed', async () => {
    const ws = await server.newWorkspace();
    for (const count of [dialect.maxLength, dialect.maxLength + 1, 60]) {
      const answers = [
        (await dialect.create(ws, '\u00e9'.repeat(count))).outcome,
        (await dialect.create(ws, 'e\u0301'.repeat(count))).outcome,
      ];
      const expected = count <= dialect.maxLength ? ['created', 'conflict'] : ['invalid', 'invalid'];
      expect(answers, `${count} × é`).toEqual(expected);
    }
  });

  it('keeps emoji sequences intact and apart from their parts', async () => {
    const ws = await server.newWorkspace();
    const family = await created(dialect, ws, '👨‍👩‍👧 Family');
    expect(family.name).toBe('👨‍👩‍👧 Family');
    expect((await dialect.create(ws, '👨👩👧 Family')).outcome).toBe('created');
    expect((await dialect.create(ws, '🏴󠁧󠁢󠁳󠁣󠁴󠁿')).outcome).toBe('created');
    expect((await dialect.create(ws, '🏴󠁧󠁢󠁥󠁮󠁧󠁿')).outcome).toBe('created');
  });

  it('refuses a name of invisible characters only (400)', async () => {
    const ws = await server.newWorkspace();
    expect((await dialect.create(ws, '\u200B\u00AD')).outcome).toBe('invalid');
  });
});

describe.each(searchable)('tag name search on $name', (dialect) => {
  it('finds İstanbul by İstanbul, ΟΔΟΣ by ΟΔΟΣ and by οδος, Café by either form', async () => {
    const ws = await server.newWorkspace();
    for (const name of ['İstanbul', 'ΟΔΟΣ', precomposed, 'Other']) await created(dialect, ws, name);
    const search = (q: string) => dialect.search?.(ws, q);
    expect(await search('İstanbul')).toEqual(['İstanbul']);
    expect(await search('ΟΔΟΣ')).toEqual(['ΟΔΟΣ']);
    expect(await search('οδος')).toEqual(['ΟΔΟΣ']);
    expect(await search('ΟΔΟ')).toEqual(['ΟΔΟΣ']);
    expect(await search(decomposed)).toEqual([precomposed]);
    expect(await search('ｃａｆ')).toEqual([precomposed]);
  });
});

describe.each(renaming)('tag renames on $name', (dialect) => {
  it('refuses a rename onto a lookalike of another tag (409) and allows one of its own name', async () => {
    const ws = await server.newWorkspace();
    await created(dialect, ws, 'VIP');
    const other = await created(dialect, ws, 'Other');
    for (const lookalike of Object.values(vipLookalikes))
      expect(await dialect.rename?.(ws, other.id, lookalike)).toBe('conflict');
    expect(await dialect.rename?.(ws, other.id, 'OTHER')).toBe('renamed');
  });
});

describe.each(typed)('tag name uniqueness per type on $name', (dialect) => {
  it('allows "New" as a clientStage and as a convStage, not twice as one type', async () => {
    const ws = await server.newWorkspace();
    await created(dialect, ws, 'New', 'clientStage');
    expect((await dialect.create(ws, 'New', 'convStage')).outcome).toBe('created');
    expect((await dialect.create(ws, 'NEW', 'clientStage')).outcome).toBe('conflict');
    expect((await dialect.create(ws, 'New')).outcome).toBe('created');
    expect((await dialect.create(ws, 'new', 'common')).outcome).toBe('conflict');
  });
});
