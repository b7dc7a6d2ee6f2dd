import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxTrpcBatchSize } from '@tagging/contracts';
import { startTestServer, type TestServer } from '@tagging/api/testing';
import { createTaggingClient, TaggingApiError, type TaggingClient } from '../src/index.ts';
import { failure } from './support/call-failure.ts';

/**
 * The SDK's batching works for any batch it builds (it split nothing and the server cut batches
 * of five calls with a 414, which the SDK called VALIDATION_ERROR), and a failure of the
 * transport is reported as what it is: its HTTP status and a code of that kind, not a
 * validation error.
 */
let server: TestServer;
let client: TaggingClient;
let contactId: string;
let sessionId: string;

beforeAll(async () => {
  server = await startTestServer({ worker: false });
  client = createTaggingClient({ baseUrl: server.url, apiKey: (await server.newWorkspace('Batch')).apiKey });
  contactId = (await client.contacts.create.mutate({ name: 'Ada' })).id;
  sessionId = (await client.sessions.create.mutate({ name: 'Chat', contactId })).id;
});
afterAll(() => server.close());

describe('batching', () => {
  it('runs five calls with long procedure names in one Promise.all (a 414 before)', async () => {
    const workspaceId = (await client.contacts.get.query({ id: contactId })).workspaceId;
    const results = await Promise.all([
      client.entityTags.contactTags.query({ contactId, workspaceId }),
      client.entityTags.sessionTags.query({ sessionId, workspaceId }),
      client.entityTags.contactTags.query({ contactId, workspaceId }),
      client.entityTags.sessionTags.query({ sessionId, workspaceId }),
      client.entityTags.contactTags.query({ contactId, workspaceId }),
    ]);
    expect(results).toHaveLength(5);
  });

  it(`splits what it cannot send at once: ${maxTrpcBatchSize * 3} calls, and calls with long inputs`, async () => {
    const many = await Promise.all(
      Array.from({ length: maxTrpcBatchSize * 3 }, () => client.zapini.conversationTags.query({ uuid: sessionId })),
    );
    expect(many).toHaveLength(maxTrpcBatchSize * 3);
    // Inputs of ~3 KB each in the URL: one batch would pass the server's 16 KiB header limit.
    const long = await Promise.all(
      Array.from({ length: 12 }, (_, index) => client.tags.list.query({ q: `${index}${'x'.repeat(90)}`, limit: 500 })),
    );
    expect(long.every((page) => page.tags.length === 0)).toBe(true);
  });

  it('an error inside a batch where other calls succeeded has its own status, not the batch’s 207', async () => {
    const [tags, missing] = await Promise.all([
      client.tags.list.query({}),
      client.tags.get.query({ id: 'wtag_00000000-0000-7000-8000-000000000000' }).catch((e: unknown) => e),
    ]);
    expect(tags).toBeDefined();
    const error = TaggingApiError.from(missing);
    expect([error.code, error.status]).toEqual(['NOT_FOUND', 404]);
  });

  it('the server refuses a batch over its size in tRPC’s error JSON', async () => {
    const apiKey = (await server.newWorkspace('Big batch')).apiKey;
    const names = Array.from({ length: maxTrpcBatchSize + 1 }, () => 'tags.list').join(',');
    const response = await fetch(`${server.url}/trpc/${names}?batch=1&input={}`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { data: { httpStatus: 400 } } });
  });
});

describe('transport errors', () => {
  /** A stand-in for what sits between the SDK and the API: answers every request with `status` and `body`. */
  async function fakeUpstream(status: number, body: string, contentType: string) {
    const upstream = http.createServer((_req, res) => {
      res.writeHead(status, { 'content-type': contentType, connection: 'close' });
      res.end(body);
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const { port } = upstream.address() as AddressInfo;
    return {
      client: createTaggingClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: 'k' }),
      close: () => new Promise((resolve) => upstream.close(resolve)),
    };
  }

  it('a gateway’s HTML 502 is UNAVAILABLE with status 502, not a JSON parse failure', async () => {
    const upstream = await fakeUpstream(502, '<html>Bad Gateway</html>', 'text/html');
    const error = await failure(upstream.client.tags.list.query({}));
    await upstream.close();
    expect(error).toMatchObject({ code: 'UNAVAILABLE', status: 502 });
    expect(error.message).toMatch(/HTTP status 502/);
    expect(error.message).not.toMatch(/<html>|Unexpected token/);
  });

  it('a 500 page is INTERNAL_ERROR; a 413 page PAYLOAD_TOO_LARGE; a 414 page URI_TOO_LONG', async () => {
    for (const [status, code] of [
      [500, 'INTERNAL_ERROR'],
      [413, 'PAYLOAD_TOO_LARGE'],
      [414, 'URI_TOO_LONG'],
    ] as const) {
      const upstream = await fakeUpstream(status, 'nope', 'text/plain');
      const error = await failure(upstream.client.tags.list.query({}));
      await upstream.close();
      expect(error, String(status)).toMatchObject({ code, status });
    }
  });

  it('JSON that is not tRPC’s keeps its status', async () => {
    const upstream = await fakeUpstream(503, '{"message":"maintenance"}', 'application/json');
    const error = await failure(upstream.client.tags.list.query({}));
    await upstream.close();
    expect(error).toMatchObject({ code: 'UNAVAILABLE', status: 503 });
  });

  it('no server at all is UNAVAILABLE', async () => {
    const nowhere = createTaggingClient({ baseUrl: 'http://127.0.0.1:1', apiKey: 'k' });
    expect(await failure(nowhere.tags.list.query({}))).toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('the API’s own 414 and 413 arrive with their codes', async () => {
    const apiKey = (await server.newWorkspace('Transport')).apiKey;
    const direct = createTaggingClient({ baseUrl: server.url, apiKey });
    const tooLarge = await failure(direct.tags.create.mutate({ name: 'x', description: 'd'.repeat(2 * 1024 * 1024) }));
    expect(tooLarge).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', status: 413 });
    const response = await fetch(`${server.url}/trpc/${'t'.repeat(5_000)}`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(response.status).toBe(414);
    const error = TaggingApiError.fromResponse(response.status, await response.json());
    expect(error.status).toBe(414);
  });
});
