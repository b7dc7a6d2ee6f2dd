import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restCall, startTestServer, type TestServer, type TestWorkspace } from '../testing/test-server.ts';

/** Document 003 (bcrumbs Tag APIs): its curl examples sent as written (host, ids, key aside). */
let server: TestServer;
let ws: TestWorkspace;
let other: TestWorkspace;

beforeAll(async () => {
  server = await startTestServer();
  ws = await server.newWorkspace('bcrumbs');
  other = await server.newWorkspace('Other');
});
afterAll(() => server.close());

type GraphQLResponse = {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
};

const gq = async (body: unknown, key = ws.apiKey): Promise<{ status: number; body: GraphQLResponse }> => {
  const response = await restCall(server, 'POST', '/core/gq', {
    body,
    headers: { authorization: key, 'content-type': 'application/json' },
  });
  return { status: response.status, body: response.body as GraphQLResponse };
};

// The document's request bodies, with its workspace id (12) and placeholder type replaced.
const createTagRequest = (workspaceId: number, tag = 'sample', type = 'conversation') => ({
  operationName: 'createTag',
  variables: { input: { workspaceId, type, tag, order: 1, description: 'sample' } },
  query:
    'mutation createTag($input: TagCreateInput!) {\n createTag(input: $input) {\n id\n tag\n type\n createdAt\n }\n}',
});
const tagsRequest = (workspaceId: number, tag: string | null, type: string | null) => ({
  operationName: 'tags',
  variables: { input: { workspaceId, ...(tag === null ? {} : { tag }), ...(type === null ? {} : { type }) } },
  query: 'query tags($input: TagsInput!) {\n tags(input: $input) {\n nodes {\n id\n tag\n type\n createdAt\n }\n }\n}',
});
const bulkPatchRequest = (workspaceId: number, patches: unknown[]) => ({
  operationName: 'bulkPatchTags',
  variables: { input: { workspaceId, patches } },
  query: 'mutation bulkPatchTags($input: TagBulkPatchInput!) {\n bulkPatchTags(input: $input)\n}',
});

describe('bcrumbs GraphQL', () => {
  it('createTag returns the documented shape', async () => {
    const response = await gq(createTagRequest(ws.id));
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.createTag).toMatchObject({
      tag: 'sample',
      type: 'conversation',
      id: expect.stringMatching(/^wtag_/),
    });
    expect(Object.keys(response.body.data?.createTag as object).sort()).toEqual(['createdAt', 'id', 'tag', 'type']);
  });

  it('tags filters by tag and type', async () => {
    await gq(createTagRequest(ws.id, 'Lead', 'clientStage'));
    await gq(createTagRequest(ws.id, 'Sampler', 'common'));
    const byTag = await gq(tagsRequest(ws.id, 'sample', null));
    expect((byTag.body.data?.tags as { nodes: { tag: string }[] }).nodes.map((n) => n.tag)).toEqual([
      'sample',
      'Sampler',
    ]);
    const byType = await gq(tagsRequest(ws.id, null, 'clientStage'));
    expect(byType.body.data?.tags).toEqual({ nodes: [expect.objectContaining({ tag: 'Lead', type: 'clientStage' })] });
    const both = await gq(tagsRequest(ws.id, 'sample', 'conversation'));
    expect((both.body.data?.tags as { nodes: unknown[] }).nodes).toHaveLength(1);
  });

  it('bulkPatchTags patches order and description, all or nothing', async () => {
    const first = (await gq(createTagRequest(ws.id, 'Patch one'))).body.data?.createTag as { id: string };
    const second = (await gq(createTagRequest(ws.id, 'Patch two'))).body.data?.createTag as { id: string };
    const ok = await gq(
      bulkPatchRequest(ws.id, [{ id: first.id, order: 99, description: 'moved' }, { id: second.id }]),
    );
    expect(ok.body).toEqual({ data: { bulkPatchTags: true } });
    const rest = (await restCall(server, 'GET', `/api/tags/${first.id}`, { apiKey: ws.apiKey })).body;
    expect(rest).toMatchObject({ order: 99, description: 'moved' });
    const failing = await gq(
      bulkPatchRequest(ws.id, [
        { id: second.id, order: 5 },
        { id: 'wtag_00000000-0000-7000-8000-000000000000', order: 6 },
      ]),
    );
    expect(failing.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await restCall(server, 'GET', `/api/tags/${second.id}`, { apiKey: ws.apiKey })).body).not.toMatchObject({
      order: 5,
    });
  });

  it('answers errors the GraphQL way, with extensions.code', async () => {
    const badType = await gq(createTagRequest(ws.id, 'x', 'VALUE'));
    expect(badType.body.errors?.length).toBeGreaterThan(0);
    const tooLong = await gq(createTagRequest(ws.id, 'x'.repeat(101)));
    expect(tooLong.body.errors?.[0]?.extensions?.code).toBe('VALIDATION_ERROR');
    const otherWorkspace = await gq(tagsRequest(other.id, null, null));
    expect(otherWorkspace.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const noKey = await restCall(server, 'POST', '/core/gq', { body: tagsRequest(ws.id, null, null) });
    expect((noKey.body as GraphQLResponse).errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    const foreign = (await gq(createTagRequest(other.id, 'Theirs'), other.apiKey)).body.data?.createTag as {
      id: string;
    };
    const patchForeign = await gq(bulkPatchRequest(ws.id, [{ id: foreign.id, order: 1 }]));
    expect(patchForeign.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const duplicate = await gq(createTagRequest(ws.id, 'SAMPLE'));
    expect(duplicate.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('is introspectable', async () => {
    const response = await gq({ query: '{ __schema { types { name } } }' });
    const names = (response.body.data?.__schema as { types: { name: string }[] }).types.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining(['Tag', 'TagType', 'TagsInput', 'TagCreateInput', 'TagBulkPatchInput']),
    );
  });

  it("types createdAt as the document's DateTime: a scalar answered as the ISO instant (session 24)", async () => {
    const response = await gq({
      query: '{ __type(name: "Tag") { fields { name type { kind ofType { kind name } } } } }',
    });
    const fields = (response.body.data?.__type as { fields: { name: string; type: unknown }[] }).fields;
    expect(fields.find((field) => field.name === 'createdAt')?.type).toEqual({
      kind: 'NON_NULL',
      ofType: { kind: 'SCALAR', name: 'DateTime' },
    });
    const created = await gq(createTagRequest(ws.id, 'dated'));
    const { createdAt } = created.body.data?.createTag as { createdAt: string };
    expect(createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });
});
