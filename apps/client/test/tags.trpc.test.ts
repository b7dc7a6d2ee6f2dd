import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@tagging/api/testing';
import { createTaggingClient, type TaggingClient } from '../src/index.ts';
import { failure } from './support/call-failure.ts';

let server: TestServer;
let client: TaggingClient;
let otherClient: TaggingClient;

beforeAll(async () => {
  server = await startTestServer();
  client = createTaggingClient({ baseUrl: server.url, apiKey: (await server.newWorkspace('Acme')).apiKey });
  otherClient = createTaggingClient({ baseUrl: server.url, apiKey: (await server.newWorkspace('Other')).apiKey });
});
afterAll(() => server.close());

describe('tags over tRPC with the SDK', () => {
  it('creates, reads, lists, updates and deletes a tag', async () => {
    const tag = await client.tags.create.mutate({ name: 'VIP', color: '#FF5733', emoji: '⭐', type: 'client' });
    expect(tag).toMatchObject({ name: 'VIP', type: 'client', contactsCount: 0 });
    expect(await client.tags.get.query({ id: tag.id })).toEqual(tag);
    const page = await client.tags.list.query({ q: 'v' });
    expect(page.tags.map((t) => t.id)).toEqual([tag.id]);
    const updated = await client.tags.update.mutate({ id: tag.id, description: 'Most valuable', emoji: null });
    expect(updated).toMatchObject({ description: 'Most valuable', emoji: null, color: '#FF5733' });
    expect(await client.tags.delete.mutate({ id: tag.id })).toEqual({ success: true, removedEntityTags: 0 });
    expect((await failure(client.tags.get.query({ id: tag.id }))).code).toBe('NOT_FOUND');
  });

  it('surfaces validation errors with field paths and status 400', async () => {
    const error = await failure(client.tags.create.mutate({ name: '', color: 'bad color' }));
    expect(error).toMatchObject({ code: 'VALIDATION_ERROR', status: 400 });
    expect(error.issues.map((issue) => issue.path)).toEqual(expect.arrayContaining([['name'], ['color']]));
  });

  it('rejects unknown fields', async () => {
    const input = { name: 'Extra', extra: true } as unknown as { name: string };
    expect((await failure(client.tags.create.mutate(input))).code).toBe('VALIDATION_ERROR');
  });

  it('reports duplicate names as CONFLICT (409)', async () => {
    await client.tags.create.mutate({ name: 'Duplicate' });
    const error = await failure(client.tags.create.mutate({ name: 'DUPLICATE' }));
    expect(error).toMatchObject({ code: 'CONFLICT', status: 409 });
  });

  it('keeps workspaces apart: another workspace sees 404', async () => {
    const tag = await client.tags.create.mutate({ name: 'Private' });
    expect((await failure(otherClient.tags.get.query({ id: tag.id }))).code).toBe('NOT_FOUND');
    expect((await failure(otherClient.tags.delete.mutate({ id: tag.id }))).code).toBe('NOT_FOUND');
    expect((await otherClient.tags.list.query({})).tags.map((t) => t.id)).not.toContain(tag.id);
    expect(await client.tags.get.query({ id: tag.id })).toMatchObject({ name: 'Private' });
  });

  it('batches several calls in one request', async () => {
    const [a, b] = await Promise.all([
      client.tags.create.mutate({ name: 'Batch A' }),
      client.tags.create.mutate({ name: 'Batch B' }),
    ]);
    // Concurrent creates take turns: distinct, consecutive orders (whichever ran first).
    expect(Math.abs(b.order - a.order)).toBe(1);
  });

  it('refuses calls without an API key', async () => {
    const anonymous = createTaggingClient({ baseUrl: server.url });
    expect(await failure(anonymous.tags.list.query({}))).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
  });
});
