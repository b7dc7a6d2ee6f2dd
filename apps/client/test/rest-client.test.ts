import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@tagging/api/testing';
import {
  createTaggingClient,
  createTaggingRestClient,
  TaggingApiError,
  unwrap,
  type TaggingRestClient,
} from '../src/index.ts';

let server: TestServer;
let rest: TaggingRestClient;
let otherRest: TaggingRestClient;
let apiKey: string;
let workspaceId: number;

beforeAll(async () => {
  server = await startTestServer();
  const workspace = await server.newWorkspace('REST');
  ({ apiKey, id: workspaceId } = workspace);
  rest = createTaggingRestClient({ baseUrl: `${server.url}/`, apiKey });
  otherRest = createTaggingRestClient({ baseUrl: server.url, apiKey: (await server.newWorkspace('Other')).apiKey });
});
afterAll(() => server.close());

const failure = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TaggingApiError);
    return error as TaggingApiError;
  }
  throw new Error('expected the call to fail');
};

describe('the REST client', () => {
  it('creates, lists, updates and deletes a tag with typed paths and bodies', async () => {
    const tag = await unwrap(rest.POST('/tags', { body: { name: 'VIP', color: 'blue', emoji: '⭐' } }));
    expect(tag).toMatchObject({ name: 'VIP', color: 'blue', workspaceId, contactsCount: 0 });
    const page = await unwrap(rest.GET('/tags', { params: { query: { q: 'v' } } }));
    expect(page.tags.map((t) => t.id)).toEqual([tag.id]);
    const updated = await unwrap(rest.PUT('/tags/{id}', { params: { path: { id: tag.id } }, body: { emoji: null } }));
    expect(updated).toMatchObject({ emoji: null, color: 'blue' });
    expect(await unwrap(rest.DELETE('/tags/{id}', { params: { path: { id: tag.id } } }))).toEqual({
      success: true,
      removedEntityTags: 0,
    });
  });

  it('sends the workspace query parameter of the Entity Tags routes and reads inherited tags', async () => {
    const tag = await unwrap(rest.POST('/tags', { body: { name: 'Inherited' } }));
    const contact = await unwrap(
      rest.POST('/contacts', { body: { name: 'Ada', metadata: { plan: 'pro', seats: 3 } } }),
    );
    expect(contact.metadata).toEqual({ plan: 'pro', seats: 3 });
    const session = await unwrap(rest.POST('/sessions', { body: { contactId: contact.id } }));
    const tagged = await unwrap(
      rest.POST('/entity-tags/contacts/{contactId}/tags', {
        params: { path: { contactId: contact.id }, query: { workspaceId } },
        body: { tagId: tag.id },
      }),
    );
    expect(tagged).toMatchObject({ success: true, propagatedToSessions: 1 });
    const { tags } = await unwrap(
      rest.GET('/entity-tags/sessions/{sessionId}/tags', {
        params: { path: { sessionId: session.id }, query: { workspaceId } },
      }),
    );
    expect(tags).toMatchObject([
      { tag: { id: tag.id }, sourceType: 'inherited', sourceEntityType: 'contact', sourceEntityId: contact.id },
    ]);
  });

  it('raises validation errors as TaggingApiError with code, status and field issues', async () => {
    const error = await failure(unwrap(rest.POST('/tags', { body: { name: '', color: 'bad color' } })));
    expect(error).toMatchObject({ code: 'VALIDATION_ERROR', status: 400 });
    expect(error.issues.map((issue) => issue.path)).toEqual(expect.arrayContaining([['name'], ['color']]));
  });

  it('raises the same code and status as the tRPC client for the same failure', async () => {
    await unwrap(rest.POST('/tags', { body: { name: 'Twice' } }));
    const overRest = await failure(unwrap(rest.POST('/tags', { body: { name: 'TWICE' } })));
    const trpc = createTaggingClient({ baseUrl: server.url, apiKey });
    const overTrpc = TaggingApiError.from(
      await trpc.tags.create.mutate({ name: 'twice' }).then(
        () => undefined,
        (error: unknown) => error,
      ),
    );
    expect(overRest).toMatchObject({ code: 'CONFLICT', status: 409 });
    expect({ code: overTrpc.code, status: overTrpc.status }).toEqual({ code: overRest.code, status: overRest.status });
  });

  it('maps 401, 403 and 404', async () => {
    const tag = await unwrap(rest.POST('/tags', { body: { name: 'Private' } }));
    const notFound = await failure(unwrap(otherRest.GET('/tags/{id}', { params: { path: { id: tag.id } } })));
    expect(notFound).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    const forbidden = await failure(
      unwrap(
        otherRest.GET('/entity-tags/contacts/{contactId}/tags', {
          params: { path: { contactId: 'contact_00000000-0000-7000-8000-000000000000' }, query: { workspaceId } },
        }),
      ),
    );
    expect(forbidden).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    const anonymous = createTaggingRestClient({ baseUrl: server.url });
    expect(await failure(unwrap(anonymous.GET('/tags')))).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
  });

  it("reads the Zapini dialect's error envelope into the same error, issues included", async () => {
    const error = await failure(unwrap(rest.POST('/v1/tags', { body: { name: '', color: 'blue' } })));
    expect(error).toMatchObject({ code: 'VALIDATION_ERROR', status: 400 });
    expect(error.issues.length).toBeGreaterThan(0);
    expect(error.issues[0]?.path).toEqual(['name']);
  });

  it('reports an unreachable server as UNAVAILABLE', async () => {
    // A port that was just free and is closed again: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const closed = createTaggingRestClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey });
    expect(await failure(unwrap(closed.GET('/tags')))).toMatchObject({ code: 'UNAVAILABLE', status: 503 });
  });
});
