import { afterAll, expect, it } from 'vitest';
import { startTestServer } from '../testing/test-server.ts';

/**
 * HEAD is GET without a body (RFC 9110 §9.3.2) on REST and tRPC: the same status and headers,
 * found or not (the adapters used to answer a bare 204 to any HEAD). A
 * multipart body to tRPC is refused as any other non-JSON type: 415 in tRPC's error JSON.
 */
const server = await startTestServer({ worker: false });
afterAll(() => server.close());
const { apiKey } = await server.newWorkspace('Head');
const authorization = `Bearer ${apiKey}`;
const created = (await (
  await fetch(`${server.url}/api/tags`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Head' }),
  })
).json()) as { id: string };
const missing = 'wtag_00000000-0000-7000-8000-000000000000';

const pair = async (path: string) => {
  const get = await fetch(`${server.url}${path}`, { headers: { authorization } });
  const getBody = await get.text();
  const head = await fetch(`${server.url}${path}`, { method: 'HEAD', headers: { authorization } });
  return { get, getBody, head, headBody: await head.text() };
};

it.each([
  ['REST, found', `/api/tags/${created.id}`, 200],
  ['REST, not found', `/api/tags/${missing}`, 404],
  ['REST list', '/api/tags', 200],
  ['tRPC, found', `/trpc/tags.get?input=${encodeURIComponent(JSON.stringify({ id: created.id }))}`, 200],
  ['tRPC, not found', `/trpc/tags.get?input=${encodeURIComponent(JSON.stringify({ id: missing }))}`, 404],
])('%s: HEAD has the status and headers of GET, without a body', async (_, path, status) => {
  const { get, getBody, head, headBody } = await pair(path);
  expect(get.status).toBe(status);
  expect(head.status).toBe(status);
  expect(headBody).toBe('');
  expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
  expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(getBody)));
});

it('HEAD of a live event stream answers its status and headers at once, without a stream', async () => {
  const path = `/trpc/events.subscribe?input=${encodeURIComponent(JSON.stringify({ after: 0 }))}`;
  const head = await fetch(`${server.url}${path}`, {
    method: 'HEAD',
    headers: { authorization },
    signal: AbortSignal.timeout(5000),
  });
  expect(head.status).toBe(200);
  expect(head.headers.get('content-type')).toMatch(/^text\/event-stream/);
  expect(await head.text()).toBe('');
  // The GET still streams.
  const get = await fetch(`${server.url}${path}`, { headers: { authorization }, signal: AbortSignal.timeout(5000) });
  expect(get.status).toBe(200);
  expect(get.headers.get('content-type')).toMatch(/^text\/event-stream/);
  await get.body?.cancel();
});

it('tRPC refuses a multipart body with 415 in its error JSON', async () => {
  const form = new FormData();
  form.set('name', 'x');
  const response = await fetch(`${server.url}/trpc/tags.create`, {
    method: 'POST',
    headers: { authorization },
    body: form,
  });
  expect(response.status).toBe(415);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(JSON.stringify(await response.json())).toContain('UNSUPPORTED_MEDIA_TYPE');
});
