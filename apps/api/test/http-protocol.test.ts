import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../testing/test-server.ts';
import { fixture } from '../testing/workspace-fixture.ts';

/**
 * What the server answers to HTTP that the clients of the SDK never send (raw sockets): a
 * malformed request pipelined behind a write, refusals Node makes before Fastify has a request,
 * content and transfer codings, `Expect: 100-continue`. Every answer is in the error shape of
 * the surface, in order, and a write that is applied is answered.
 */
const lines: string[] = [];
const server = await startTestServer({
  worker: false,
  logger: { level: 'info', stream: { write: (line: string) => lines.push(line) } },
});
afterAll(() => server.close());
const ws = await fixture(server, 'HTTP protocol');
const { port } = new URL(server.url);

type RawResponse = { status: number; headers: Record<string, string>; body: string };

/** Writes `bytes` in one write on a new connection and reads until the server closes it (or `waitMs`). */
function exchange(bytes: Buffer | string, waitMs = 5_000): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('utf8'), closed: false });
    }, waitMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text: Buffer.concat(chunks).toString('utf8'), closed: true });
    });
    socket.write(bytes);
  });
}

/** The responses in `text`, in order (each with a Content-Length, as the server's are). */
function responsesOf(text: string): RawResponse[] {
  const responses: RawResponse[] = [];
  let rest = text;
  while (rest.startsWith('HTTP/1.1 ')) {
    const end = rest.indexOf('\r\n\r\n');
    const [statusLine = '', ...headerLines] = rest.slice(0, end).split('\r\n');
    const headers = Object.fromEntries(
      headerLines.map((line) => [
        line.slice(0, line.indexOf(':')).toLowerCase(),
        line.slice(line.indexOf(':') + 1).trim(),
      ]),
    );
    const length = Number(headers['content-length'] ?? 0);
    const body = rest.slice(end + 4, end + 4 + length);
    responses.push({ status: Number(statusLine.split(' ')[1]), headers, body });
    rest = rest.slice(end + 4 + length);
  }
  expect(rest, 'bytes after the last response').toBe('');
  return responses;
}

const request = (method: string, path: string, headers: Record<string, string>, body = '') =>
  `${method} ${path} HTTP/1.1\r\n` +
  Object.entries({ host: 'x', ...headers, ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}) })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('') +
  `\r\n${body}`;

const authorization = `Bearer ${ws.apiKey}`;
const json = { authorization, 'content-type': 'application/json' };

const requestLines = () =>
  lines
    .map((line) => JSON.parse(line) as { msg?: string; route?: string; statusCode?: number; errorCode?: string })
    .filter((line) => line.msg === 'request completed' || line.msg === 'request refused');

describe('a malformed request pipelined behind a write', () => {
  const malformed: [string, string, number][] = [
    ['a control character in a header', 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Bad: a\x01b\r\n\r\n', 400],
    ['headers over the limit', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`, 431],
    ['bytes that are not HTTP', 'GARBAGE\r\n\r\n', 400],
  ];
  for (const [label, bad, status] of malformed)
    it(`${label}: the write's own answer (201) comes whole and first, then ${status}, then the connection closes`, async () => {
      const tag = await ws.tag();
      const session = await ws.sessionOf(null);
      const write = request(
        'POST',
        `/api/entity-tags/sessions/${session.id}/tags?workspaceId=${ws.id}`,
        json,
        JSON.stringify({ tagId: tag.id }),
      );
      const before = requestLines().length;
      const { text, closed } = await exchange(write + bad);
      const responses = responsesOf(text);
      expect(responses.map((response) => response.status)).toEqual([201, status]);
      expect(JSON.parse(responses[0]?.body ?? '')).toMatchObject({ success: true, sessionTag: { tagId: tag.id } });
      expect(JSON.parse(responses[1]?.body ?? '')).toMatchObject({
        code: status === 431 ? 'HEADERS_TOO_LARGE' : 'VALIDATION_ERROR',
      });
      expect(closed).toBe(true);
      // Logged: the write's line and one line for the refusal.
      await expect.poll(() => requestLines().length - before).toBe(2);
      expect(
        requestLines()
          .slice(before)
          .map((line) => [line.msg, line.statusCode]),
      ).toEqual(
        expect.arrayContaining([
          ['request completed', 201],
          ['request refused', status],
        ]),
      );
      // And applied once.
      const { data } = await ws.rest.GET(
        '/entity-tags/sessions/{sessionId}/tags',
        ws.scoped({ sessionId: session.id }),
      );
      expect(data?.tags.map((row) => row.tag.id)).toEqual([tag.id]);
    });

  it('with nothing in flight, the refusal is the answer at once (and is logged)', async () => {
    const { text, closed } = await exchange('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Bad: a\x01b\r\n\r\n');
    expect(responsesOf(text).map((response) => response.status)).toEqual([400]);
    expect(closed).toBe(true);
    expect(requestLines().at(-1)).toMatchObject({ msg: 'request refused', statusCode: 400 });
  });
});

/** The one response of a request that must be refused, and whether the connection then closed. */
async function refusal(bytes: string | Buffer): Promise<RawResponse & { closed: boolean }> {
  const { text, closed } = await exchange(bytes, 2_000);
  const responses = responsesOf(text);
  expect(responses, text.slice(0, 300)).toHaveLength(1);
  return { ...(responses[0] as RawResponse), closed };
}

/** The error message of a body in any surface's shape (REST `message`, tRPC `error.message`). */
const messageOf = (body: string) => {
  const parsed = JSON.parse(body) as { message?: string; error?: { message?: string } };
  return parsed.message ?? parsed.error?.message;
};

describe('refusals Node used to make by itself are JSON in the surface’s shape', () => {
  it('an HTTP/1.1 request without Host: 400', async () => {
    const rest = await refusal(
      `GET /api/tags HTTP/1.1\r\nconnection: close\r\nauthorization: ${authorization}\r\n\r\n`,
    );
    expect([rest.status, rest.headers['content-type']]).toEqual([400, 'application/json; charset=utf-8']);
    expect(JSON.parse(rest.body)).toEqual({
      code: 'VALIDATION_ERROR',
      message: 'an HTTP/1.1 request needs a Host header',
    });
    const trpc = await refusal(
      `GET /trpc/tags.list HTTP/1.1\r\nconnection: close\r\nauthorization: ${authorization}\r\n\r\n`,
    );
    expect(trpc.status).toBe(400);
    expect(JSON.parse(trpc.body)).toMatchObject({ error: { data: { httpStatus: 400 } } });
    // HTTP/1.0 has no Host requirement.
    expect((await refusal('GET /healthz HTTP/1.0\r\n\r\n')).status).toBe(200);
  });

  it('an expectation other than 100-continue: 417, and the connection closes', async () => {
    const answer = await refusal(request('GET', '/api/tags', { authorization, expect: 'something-else' }));
    expect(answer.status).toBe(417);
    expect(JSON.parse(answer.body)).toEqual({
      code: 'VALIDATION_ERROR',
      message: 'the only expectation taken is 100-continue',
    });
    expect(answer.closed).toBe(true);
  });
});

describe('Expect: 100-continue', () => {
  it('a Content-Length over the route’s limit: 413 at once, never 100 Continue', async () => {
    const cases: [string, number][] = [
      [`/api/entity-tags/sessions/wses_x/tags?workspaceId=${ws.id}`, 1024 * 1024],
      ['/trpc/tags.create', 1024 * 1024],
      [`/api/entity-tags/bulk/tag?workspaceId=${ws.id}`, 10 * 1024 * 1024],
    ];
    for (const [path, limit] of cases) {
      const head = `POST ${path} HTTP/1.1\r\nhost: x\r\nauthorization: ${authorization}\r\ncontent-type: application/json\r\nexpect: 100-continue\r\ncontent-length: ${limit + 1}\r\n\r\n`;
      const answer = await refusal(head);
      expect(answer.status, path).toBe(413);
      expect(messageOf(answer.body), path).toBe(`the body is larger than this route takes (${limit} bytes)`);
      expect(answer.closed).toBe(true);
    }
  });

  it('a body within the limit: 100 Continue, then the request runs', async () => {
    const tag = await ws.tag();
    const session = await ws.sessionOf(null);
    const body = JSON.stringify({ tagId: tag.id });
    const path = `/api/entity-tags/sessions/${session.id}/tags?workspaceId=${ws.id}`;
    const { text } = await exchange(
      request('POST', path, { ...json, expect: '100-continue', connection: 'close' }, body),
      2_000,
    );
    expect(text.startsWith('HTTP/1.1 100 Continue\r\n\r\n'), text.slice(0, 100)).toBe(true);
    expect(responsesOf(text.slice('HTTP/1.1 100 Continue\r\n\r\n'.length)).map((r) => r.status)).toEqual([201]);
  });
});

describe('content and transfer codings', () => {
  const tagBody = async () => JSON.stringify({ tagId: (await ws.tag()).id });
  const sessionPath = async () =>
    `/api/entity-tags/sessions/${(await ws.sessionOf(null)).id}/tags?workspaceId=${ws.id}`;

  it('a content coding other than identity: 415 with Accept-Encoding: identity, REST and tRPC, nothing applied', async () => {
    const session = await ws.sessionOf(null);
    const path = `/api/entity-tags/sessions/${session.id}/tags?workspaceId=${ws.id}`;
    const body = await tagBody();
    const gzipped = gzipSync(body);
    const sent: [string, Buffer | string][] = [
      ['br', body],
      ['gzip', gzipped],
      ['GZIP', gzipped],
    ];
    for (const [coding, bytes] of sent) {
      const head = `POST ${path} HTTP/1.1\r\nhost: x\r\nauthorization: ${authorization}\r\ncontent-type: application/json\r\ncontent-encoding: ${coding}\r\ncontent-length: ${bytes.length}\r\n\r\n`;
      const answer = await refusal(Buffer.concat([Buffer.from(head), Buffer.from(bytes)]));
      expect([answer.status, answer.headers['accept-encoding']], coding).toEqual([415, 'identity']);
      expect(JSON.parse(answer.body)).toEqual({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: 'bodies are sent without a content coding (Content-Encoding: identity)',
      });
    }
    const trpc = await refusal(
      request('POST', '/trpc/tags.create', { ...json, 'content-encoding': 'br' }, JSON.stringify({ name: 'Coded' })),
    );
    expect(trpc.status).toBe(415);
    expect(messageOf(trpc.body)).toBe('bodies are sent without a content coding (Content-Encoding: identity)');
    // `identity` is no coding at all.
    const plain = await refusal(
      request('POST', path, { ...json, 'content-encoding': 'identity', connection: 'close' }, body),
    );
    expect(plain.status).toBe(201);
  });

  it('a transfer coding other than one chunked (gzip, chunked; two headers): 400, nothing applied', async () => {
    const path = await sessionPath();
    const body = await tagBody();
    const chunked = `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n`;
    const heads = [
      'transfer-encoding: gzip, chunked\r\n',
      'transfer-encoding: gzip\r\ntransfer-encoding: chunked\r\n',
      'transfer-encoding: chunked\r\ntransfer-encoding: chunked\r\n',
    ];
    for (const coding of heads) {
      const answer = await refusal(
        `POST ${path} HTTP/1.1\r\nhost: x\r\nauthorization: ${authorization}\r\ncontent-type: application/json\r\n${coding}\r\n${chunked}`,
      );
      // (Node's parser itself refuses some forms, with its own 400 in the same shape.)
      expect(answer.status, coding).toBe(400);
      expect(JSON.parse(answer.body), coding).toMatchObject({ code: 'VALIDATION_ERROR' });
      expect(answer.closed).toBe(true);
    }
    const { data } = await ws.rest.GET('/entity-tags/sessions/{sessionId}/tags', {
      params: { path: { sessionId: path.split('/')[4] ?? '' }, query: { workspaceId: ws.id } },
    });
    expect(data?.tags).toEqual([]);
    // One chunked coding is a body like any other.
    const plain = await refusal(
      `POST ${path} HTTP/1.1\r\nhost: x\r\nauthorization: ${authorization}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n${chunked}`,
    );
    expect(plain.status).toBe(201);
  });
});

describe('an absolute-form request target (RFC 9112 §3.2.2)', () => {
  const absolute = (path: string) => `http://127.0.0.1:${port}${path}`;
  /** One request on its own connection, answered and closed. */
  const answer = async (method: string, target: string, headers: Record<string, string>, body = '') =>
    refusal(request(method, target, { ...headers, connection: 'close' }, body));

  it('names the route of its path, with the key checked, on every surface', async () => {
    const created = await answer('POST', absolute(`/api/tags?workspaceId=${ws.id}`), json, '{"name":"Absolute"}');
    expect(created.status, created.body).toBe(201);
    const tagId = (JSON.parse(created.body) as { id: string }).id;
    for (const target of [
      absolute(`/api/tags/${tagId}`),
      `HTTPS://127.0.0.1${'/api/tags/'}${tagId}`,
      absolute(`/api/tags/${tagId}/`),
      absolute(`/api/v1/tags/${tagId.slice('wtag_'.length)}`),
      absolute(`/trpc/tags.get?input=${encodeURIComponent(JSON.stringify({ id: tagId }))}`),
    ]) {
      const read = await answer('GET', target, { authorization });
      expect(read.status, `${target}: ${read.body}`).toBe(200);
      expect(read.body).toContain(tagId.slice('wtag_'.length));
    }
    const health = await answer('GET', absolute('/healthz'), {});
    expect(health.status).toBe(200);
  });

  it('is refused in the shape of its surface: without a key 401, an unknown id 404', async () => {
    const unknown = '0190f5c4-7a1b-7c2d-8e3f-0123456789ab';
    const keyless = await answer('GET', absolute('/trpc/tags.list'), {});
    expect(keyless.status).toBe(401);
    expect(JSON.parse(keyless.body)).toMatchObject({ error: { data: { httpStatus: 401 } } });
    const rest = await answer('GET', absolute(`/api/tags/wtag_${unknown}`), { authorization });
    expect(rest.status).toBe(404);
    expect(JSON.parse(rest.body)).toMatchObject({ code: 'NOT_FOUND' });
    const zapini = await answer('GET', absolute(`/api/v1/tags/${unknown}`), { authorization });
    expect(zapini.status).toBe(404);
    expect(JSON.parse(zapini.body)).toMatchObject({ success: false });
  });
});
