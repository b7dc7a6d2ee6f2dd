import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@tagging/api/testing';
import {
  bulkTagAll,
  createTaggingClient,
  eachItem,
  waitForExport,
  waitForPropagation,
  type TaggingClient,
} from '../src/index.ts';

let server: TestServer;
let client: TaggingClient;
let workspaceId: number;

beforeAll(async () => {
  server = await startTestServer({ propagation: { syncFanOutLimit: 3 } });
  const ws = await server.newWorkspace('SDK');
  workspaceId = ws.id;
  client = createTaggingClient({ baseUrl: server.url, apiKey: ws.apiKey });
});
afterAll(() => server.close());

describe('SDK helpers', () => {
  it('iterates every item of a list', async () => {
    await client.contacts.bulkUpsert.mutate({
      contacts: Array.from({ length: 23 }, (_, i) => ({ externalId: `it-${i}` })),
    });
    const seen: string[] = [];
    for await (const contact of eachItem(
      (cursor) => client.contacts.list.query({ limit: 5, ...(cursor ? { cursor } : {}) }),
      (page) => page.contacts,
    ))
      seen.push(contact.externalId ?? '');
    expect(new Set(seen).size).toBe(23);
  });

  it('bulk-tags more entities than one request takes, in chunks, and adds the results up', async () => {
    const tag = await client.tags.create.mutate({ name: 'Chunked' });
    const contacts = await client.contacts.bulkUpsert.mutate({ contacts: Array.from({ length: 25 }, () => ({})) });
    const entities = [
      ...contacts.ids.map((id) => ({ entityType: 'contact' as const, entityId: id ?? '' })),
      { entityType: 'contact' as const, entityId: 'contact_123' },
    ];
    const progress: number[] = [];
    const result = await bulkTagAll(
      client,
      { workspaceId, tagId: tag.id, entities },
      { chunkSize: 10, onProgress: (p) => progress.push(p.done) },
    );
    expect(result).toMatchObject({ tagged: 25, skipped: 0, errors: [{ index: 25, code: 'NOT_FOUND' }] });
    expect(progress).toEqual([10, 20, 26]);
  });

  it('waits for a deferred propagation and for an export, reporting progress', async () => {
    const tag = await client.tags.create.mutate({ name: 'Deferred' });
    const contact = await client.contacts.create.mutate({});
    await client.sessions.bulkUpsert.mutate({ sessions: Array.from({ length: 6 }, () => ({ contactId: contact.id })) });
    const tagged = await client.entityTags.tagContact.mutate({ workspaceId, contactId: contact.id, tagId: tag.id });
    const jobId = tagged.deferred?.jobId ?? '';
    const states: string[] = [];
    const job = await waitForPropagation(
      client,
      { workspaceId, jobId },
      { intervalMs: 20, onProgress: (s) => states.push(s.status) },
    );
    expect(job).toMatchObject({ status: 'done', processedSessions: 6 });
    expect(states.at(-1)).toBe('done');
    const exported = await client.exports.create.mutate({ format: 'jsonl', tagIds: [tag.id] });
    expect(await waitForExport(client, exported.id, { intervalMs: 20 })).toMatchObject({
      status: 'done',
      totalRows: 1,
    });
  });
});
