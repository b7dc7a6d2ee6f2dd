import { afterAll, expect, it } from 'vitest';
import { startTestServer } from '../testing/test-server.ts';
import { fixture } from '../testing/workspace-fixture.ts';

/**
 * One plain tRPC call (a query by GET, a mutation by POST, alone or as a batch of one) is
 * answered without tRPC's fetch adapter (`trpc/trpc-single-call.ts`, issue 20). Its answer must
 * be what the adapter gives: here each call is also sent as a batch of the same call twice, which
 * the adapter still answers, and each of its elements must be the plain answer, with the same
 * status and headers.
 */
const server = await startTestServer({ worker: false });
afterAll(() => server.close());
const ws = await fixture(server, 'Plain calls');
const other = await fixture(server, 'Other');
const authorization = `Bearer ${ws.apiKey}`;
const tag = await ws.tag({ name: 'Plain' });
const owner = await ws.contact({ name: 'Owner' });
const session = await ws.sessionOf(owner);
await ws.tagSession(session, tag);
const otherSession = await other.sessionOf(await other.contact({}));
const missingSession = 'wses_00000000-0000-7000-8000-000000000000';

type Answer = { status: number; contentType: string | null; vary: string | null; body: unknown };

async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    vary: response.headers.get('vary'),
    body: text === '' ? undefined : (JSON.parse(text) as unknown),
  };
}

/**
 * The call plain, as a batch of one (both answered without the adapter), and as a batch of the
 * same call twice (answered by tRPC's adapter: the reference).
 */
async function answers(method: 'GET' | 'POST', path: string, input: unknown) {
  const headers = { authorization, 'content-type': 'application/json' };
  const send = async (query: string, calls: number, batched: boolean) => {
    const batchInput = Object.fromEntries(Array.from({ length: calls }, (_, index) => [index, input]));
    const payload = batched ? (input === undefined ? {} : batchInput) : input;
    const paths = Array.from({ length: calls }, () => path).join(',');
    if (method === 'GET') {
      const inputParam =
        input === undefined && !batched
          ? ''
          : `${batched ? '&' : '?'}input=${encodeURIComponent(JSON.stringify(payload))}`;
      return answerOf(await fetch(`${server.url}/trpc/${paths}${query}${inputParam}`, { headers: { authorization } }));
    }
    return answerOf(
      await fetch(`${server.url}/trpc/${paths}${query}`, { method, headers, body: JSON.stringify(payload) }),
    );
  };
  return {
    plain: await send('', 1, false),
    one: await send('?batch=1', 1, true),
    twice: await send('?batch=1', 2, true),
  };
}

const sessionTags = (sessionId: string, workspaceId = ws.id) => ({ workspaceId, sessionId });

it.each([
  ['a query that succeeds', 'GET', 'entityTags.sessionTags', sessionTags(session.id), 200],
  ['a query of an absent session', 'GET', 'entityTags.sessionTags', sessionTags(missingSession), 404],
  ['a query of another workspace’s session', 'GET', 'entityTags.sessionTags', sessionTags(otherSession.id), 404],
  ['a query naming another workspace', 'GET', 'entityTags.sessionTags', sessionTags(session.id, other.id), 403],
  ['a query with invalid input', 'GET', 'entityTags.sessionTags', { workspaceId: 'x', sessionId: 1 }, 400],
  ['a query without its input', 'GET', 'entityTags.sessionTags', undefined, 400],
  ['a query of a tag', 'GET', 'tags.get', { id: tag.id }, 200],
  [
    'a mutation that conflicts',
    'POST',
    'entityTags.tagSession',
    { workspaceId: ws.id, sessionId: session.id, tagId: tag.id },
    409,
  ],
  ['a mutation with invalid input', 'POST', 'entityTags.tagSession', { workspaceId: ws.id, sessionId: 7 }, 400],
  [
    'a mutation of an absent session',
    'POST',
    'entityTags.tagSession',
    { workspaceId: ws.id, sessionId: missingSession, tagId: tag.id },
    404,
  ],
  [
    'a mutation that succeeds and changes nothing twice',
    'POST',
    'entityTags.untagSession',
    { workspaceId: ws.id, sessionId: missingSession, tagId: tag.id },
    404,
  ],
  ['a query sent by POST (left to the adapter)', 'POST', 'entityTags.sessionTags', sessionTags(session.id), 405],
  ['a mutation sent by GET (left to the adapter)', 'GET', 'entityTags.tagSession', { workspaceId: ws.id }, 405],
  ['an unknown procedure (left to the adapter)', 'GET', 'entityTags.nothing', {}, 404],
] as const)('%s: answered as the adapter answers it', async (_, method, path, input, status) => {
  const { plain, one, twice } = await answers(method, path, input);
  for (const answer of [plain, one, twice]) {
    expect(answer.status).toBe(status);
    expect(answer.contentType).toBe(twice.contentType);
    expect(answer.vary).toBe(twice.vary);
  }
  expect(one.body).toEqual([plain.body]);
  expect(twice.body).toEqual([plain.body, plain.body]);
});

it('a mutation that succeeds: the same result shape as the adapter’s, and it took effect', async () => {
  const first = await ws.tag({ name: 'First' });
  const second = await ws.tag({ name: 'Second' });
  const call = (tagId: string) => ({ workspaceId: ws.id, sessionId: session.id, tagId });
  const plain = await answerOf(
    await fetch(`${server.url}/trpc/entityTags.tagSession`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(call(first.id)),
    }),
  );
  const third = await ws.tag({ name: 'Third' });
  const batch = await answerOf(
    await fetch(`${server.url}/trpc/entityTags.tagSession,entityTags.tagSession?batch=1`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ 0: call(second.id), 1: call(third.id) }),
    }),
  );
  expect(plain.status).toBe(200);
  expect(batch.status).toBe(200);
  expect(plain.contentType).toBe(batch.contentType);
  expect(plain.vary).toBe('trpc-accept, accept');
  const shapeOf = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(shapeOf)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, shapeOf(inner)]))
        : typeof value;
  expect([shapeOf(plain.body), shapeOf(plain.body)]).toEqual(shapeOf(batch.body));
  expect(plain.body).toMatchObject({
    result: { data: { success: true, sessionTag: { tagId: first.id, entityId: session.id, sourceType: 'direct' } } },
  });
  const tags = await ws.trpc.entityTags.sessionTags.query(sessionTags(session.id));
  expect(JSON.stringify(tags)).toContain(first.id);
  expect(JSON.stringify(tags)).toContain(second.id);
});

it('malformed JSON input is left to the adapter, which answers it as before', async () => {
  const response = await fetch(`${server.url}/trpc/entityTags.sessionTags?input=%7Bnot-json`, {
    headers: { authorization },
  });
  expect(response.status).toBe(400);
  expect(response.headers.get('content-type')).toBe('application/json');
  expect(((await response.json()) as { error: { data: { code: string } } }).error.data.code).toBe('BAD_REQUEST');
});
