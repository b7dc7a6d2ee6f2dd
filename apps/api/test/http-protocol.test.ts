import { connect } from 'node:net';
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
      headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
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
      expect(JSON.parse(responses[1]?.body ?? '')).toMatchObject({ code: status === 431 ? 'HEADERS_TOO_LARGE' : 'VALIDATION_ERROR' });
      expect(closed).toBe(true);
      // Logged: the write's line and one line for the refusal.
      await expect.poll(() => requestLines().length - before).toBe(2);
      expect(requestLines().slice(before).map((line) => [line.msg, line.statusCode])).toEqual(
        expect.arrayContaining([
          ['request completed', 201],
          ['request refused', status],
        ]),
      );
      // And applied once.
      const { data } = await ws.rest.GET('/entity-tags/sessions/{sessionId}/tags', ws.scoped({ sessionId: session.id }));
      expect(data?.tags.map((row) => row.tag.id)).toEqual([tag.id]);
    });

  it('with nothing in flight, the refusal is the answer at once (and is logged)', async () => {
    const { text, closed } = await exchange('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Bad: a\x01b\r\n\r\n');
    expect(responsesOf(text).map((response) => response.status)).toEqual([400]);
    expect(closed).toBe(true);
    expect(requestLines().at(-1)).toMatchObject({ msg: 'request refused', statusCode: 400 });
  });
});
