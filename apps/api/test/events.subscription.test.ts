import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { subscribeToEvents, TaggingApiError } from '@tagging/client';
import type { ChangeEvent } from '@tagging/contracts';
import { startTestServer, type TestServer } from '../testing/test-server.ts';
import { fixture, type WorkspaceFixture } from '../testing/workspace-fixture.ts';
import { openRawConnection } from './support/raw-connection.ts';

/** Live change events over SSE (tRPC subscription), through the SDK helper. */
let server: TestServer;
let ws: WorkspaceFixture;

beforeAll(async () => {
  server = await startTestServer();
  ws = await fixture(server, 'Live');
});
afterAll(() => server.close());

const until = async (check: () => boolean, timeoutMs = 15_000) => {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('event subscription', () => {
  it('streams committed events and resumes after a given seq', async () => {
    const received: ChangeEvent[] = [];
    const errors: unknown[] = [];
    const live = subscribeToEvents({
      baseUrl: server.url,
      apiKey: ws.apiKey,
      after: 0,
      onEvent: (event) => received.push(event),
      onError: (error) => errors.push(error),
    });
    const tag = await ws.tag({ name: 'Live' });
    const contact = await ws.contact();
    await ws.tagContact(contact, tag);
    await until(() => received.length >= 2);
    expect(received.map((e) => e.type)).toEqual(['tag.created', 'contact.tagged']);
    live.unsubscribe();

    // Changes while nobody listens; a new subscription after the last seen seq gets exactly them.
    const last = received.at(-1)?.seq ?? 0;
    await ws.trpc.entityTags.untagContact.mutate({ workspaceId: ws.id, contactId: contact.id, tagId: tag.id });
    await ws.trpc.tags.delete.mutate({ id: tag.id });
    const resumed: ChangeEvent[] = [];
    const again = subscribeToEvents({
      baseUrl: server.url,
      apiKey: ws.apiKey,
      after: last,
      types: ['tag.deleted', 'contact.untagged'],
      onEvent: (event) => resumed.push(event),
    });
    await until(() => resumed.length >= 2);
    again.unsubscribe();
    expect(resumed.map((e) => e.type)).toEqual(['contact.untagged', 'tag.deleted']);
    expect(resumed[0]?.seq).toBe(last + 1);
    expect(errors).toEqual([]);
  });

  it('ends a stream whose API key is revoked before it sends another event', async () => {
    // Attack (session 10): a revoked key's open stream went on delivering for minutes.
    const key = await ws.trpc.apiKeys.create.mutate({ name: 'streaming', scope: 'read' });
    const received: string[] = [];
    const errors: unknown[] = [];
    const live = subscribeToEvents({
      baseUrl: server.url,
      apiKey: key.secret,
      types: ['tag.created'],
      onEvent: (event) => received.push((event.data as { tag: { name: string } }).tag.name),
      onError: (error) => errors.push(error),
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await ws.tag({ name: 'Before the revocation' });
      await until(() => received.length === 1);
      // Events keep coming (another key's requests) right up to the revocation and after it: none
      // made after it returned may reach the stream (attack, session 26: with a key check at most
      // once a second, up to 0.5 s of them did).
      for (let i = 0; i < 5; i++) await ws.tag({ name: `Just before ${i}` });
      await ws.trpc.apiKeys.revoke.mutate({ id: key.id });
      for (let i = 0; i < 10; i++) await ws.tag({ name: `After the revocation ${i}` });
      await until(() => errors.length === 1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(received[0]).toBe('Before the revocation');
      expect(received.filter((name) => name.startsWith('After'))).toEqual([]);
      expect(errors[0]).toMatchObject({
        code: 'UNAUTHORIZED',
        message: expect.stringMatching(/revoked or has expired/),
      });
    } finally {
      live.unsubscribe();
    }
  });

  it('survives a client that declares a body on its stream request and drops it unsent (no crash), and closes after such a stream', async () => {
    for (const framing of ['Content-Length: 200000', 'Transfer-Encoding: chunked']) {
      const connection = await openRawConnection(server.url);
      connection.send(
        [
          'GET /trpc/events.subscribe?input=%7B%22after%22%3A0%7D HTTP/1.1',
          'Host: x',
          `Authorization: Bearer ${ws.apiKey}`,
          framing,
        ],
        framing.startsWith('Content') ? 'abc' : '3\r\nabc\r\n',
      );
      const received = () => connection.received();
      await until(() => received().includes('\r\n\r\n'));
      expect(received(), framing).toMatch(/^HTTP\/1\.1 200 /);
      // The body was never read: the stream's connection closes when the stream ends.
      expect(received().toLowerCase(), framing).toContain('connection: close');
      // The client aborts mid-body; the process must go on (an unhandled stream error ended it).
      connection.socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await fetch(`${server.url}/healthz`)).status, framing).toBe(200);
    }
  });

  it('reports a refused key as UNAUTHORIZED, and keeps trying a server it cannot reach', async () => {
    // Attack (session 10): with `after`, a 401 came out as UNAVAILABLE (retried for ever by a
    // client); without it, an unreachable server ended the subscription at once.
    for (const after of [0, undefined]) {
      const errors: unknown[] = [];
      const live = subscribeToEvents({
        baseUrl: server.url,
        apiKey: 'tgk_not-a-key-of-this-workspace-at-all',
        ...(after === undefined ? {} : { after }),
        onEvent: () => undefined,
        onError: (error) => errors.push(error),
      });
      await until(() => errors.length > 0);
      live.unsubscribe();
      expect(TaggingApiError.from(errors[0])).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
    }
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const errors: unknown[] = [];
    const live = subscribeToEvents({
      baseUrl: `http://127.0.0.1:${port}`,
      apiKey: ws.apiKey,
      onEvent: () => undefined,
      onError: (error) => errors.push(error),
    });
    await new Promise((resolve) => setTimeout(resolve, 2500)); // two retries
    live.unsubscribe();
    expect(errors).toEqual([]);
  });

  it('resumes from the SSE last event id, and refuses a caller without a key', async () => {
    await ws.tag();
    await ws.tag();
    const { events } = await ws.trpc.events.list.query({});
    const first = events[0]?.seq ?? 0;
    const controller = new AbortController();
    const response = await fetch(
      `${server.url}/trpc/events.subscribe?input=${encodeURIComponent(JSON.stringify({ lastEventId: String(first) }))}`,
      { headers: { authorization: `Bearer ${ws.apiKey}` }, signal: controller.signal },
    );
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = response.body?.getReader();
    let text = '';
    while (reader && !text.includes(`id: ${first + 1}`)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    expect(text).toContain(`id: ${first + 1}`);
    expect(text).not.toContain(`id: ${first}\n`);

    const refused = await fetch(`${server.url}/trpc/events.subscribe?input=%7B%7D`);
    expect(refused.status).toBe(401);
  });

  it('takes the raw types as a JSON array as well as comma-separated', async () => {
    const before = (await ws.trpc.events.list.query({})).nextCursor;
    const tag = await ws.tag();
    const contact = await ws.contact();
    await ws.tagContact(contact, tag);
    const read = async (types: unknown) => {
      const controller = new AbortController();
      const response = await fetch(
        `${server.url}/trpc/events.subscribe?input=${encodeURIComponent(JSON.stringify({ after: before, types }))}`,
        { headers: { authorization: `Bearer ${ws.apiKey}` }, signal: controller.signal },
      );
      expect(response.status).toBe(200);
      const reader = response.body?.getReader();
      let text = '';
      while (reader && !text.includes('contact.tagged')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      controller.abort();
      return text;
    };
    for (const types of [['contact.tagged'], 'contact.tagged']) {
      const text = await read(types);
      expect(text).toContain('"type":"contact.tagged"');
      expect(text).not.toContain('"type":"tag.created"');
    }
  });

  it('serves many idle streams with one poll, and still delivers to each', async () => {
    // The feed's reads walk `event_seq_uq`; the shared poll reads only `event_sequence`. Counted
    // by the server's statistics, which reach other connections within a second or so.
    const feedReads = async () => {
      const [row] = await server.db
        .fork()
        .execute<{ n: string }[]>(
          `select coalesce(sum(idx_scan), 0)::text as n from pg_stat_user_indexes where indexrelname = 'event_seq_uq'`,
        );
      return Number(row?.n ?? 0);
    };
    const settle = () => new Promise((resolve) => setTimeout(resolve, 1200));
    /** The feed's reads over about 3 s of idleness. */
    const idleReads = async () => {
      const before = await feedReads();
      await new Promise((resolve) => setTimeout(resolve, 2000));
      await settle();
      return (await feedReads()) - before;
    };
    // The service's own loops read the feed too (a few times a second on PGlite, more on a busy
    // machine: 62 in one CI run): what the streams add is counted against that, measured first.
    const baseline = await idleReads();
    const received = new Map<number, ChangeEvent[]>();
    // Every stream starts after the same position, so each gets the event written next however
    // late it opens: that event shows when all are open (a fixed wait was too short for 40
    // streams on a busy machine, and their opening reads fell in the idle window).
    const page = await fetch(`${server.url}/api/events?limit=1`, {
      headers: { authorization: `Bearer ${ws.apiKey}` },
    });
    const { latestSeq } = (await page.json()) as { latestSeq: number };
    const streams = Array.from({ length: 40 }, (_, i) => {
      received.set(i, []);
      return subscribeToEvents({
        baseUrl: server.url,
        apiKey: ws.apiKey,
        after: latestSeq,
        onEvent: (event) => received.get(i)?.push(event),
      });
    });
    const everyStreamGot = (tagId: string) =>
      [...received.values()].every((events) =>
        events.some((e) => e.type === 'tag.created' && (e.data as { tag?: { id?: string } }).tag?.id === tagId),
      );
    try {
      const opening = await ws.tag({ name: 'Every stream is open' });
      await until(() => everyStreamGot(opening.id));
      await settle();
      // Idle for 3 s: no stream read the feed (polling on their own, 40 streams read it ~500 times;
      // once a second each, ~120).
      expect((await idleReads()) - baseline).toBeLessThan(40);
      const tag = await ws.tag({ name: 'For every stream' });
      await until(() => everyStreamGot(tag.id));
      for (const events of received.values())
        expect(events.map((e) => e.data)).toContainEqual(
          expect.objectContaining({ tag: expect.objectContaining({ id: tag.id }) }),
        );
    } finally {
      for (const stream of streams) stream.unsubscribe();
    }
  });

  it('holds at most EVENT_STREAMS_PER_WORKSPACE streams of a workspace open; one more is refused (429), others are not', async () => {
    const capped = await startTestServer({ eventStreamsPerWorkspace: 2 });
    try {
      const [mine, theirs] = [await fixture(capped, 'Capped'), await fixture(capped, 'Other')];
      const open = (apiKey: string, errors: unknown[], events: ChangeEvent[] = []) =>
        subscribeToEvents({
          baseUrl: capped.url,
          apiKey,
          after: 0,
          onEvent: (event) => events.push(event),
          onError: (error) => errors.push(error),
        });
      const errors: unknown[] = [];
      const seen: ChangeEvent[][] = [[], []];
      const streams = [open(mine.apiKey, errors, seen[0]), open(mine.apiKey, errors, seen[1])];
      const first = await mine.tag({ name: 'Seen by both' });
      await until(() => seen.every((events) => events.some((e) => JSON.stringify(e.data).includes(first.id))));
      const thirdErrors: unknown[] = [];
      const third = open(mine.apiKey, thirdErrors);
      await until(() => thirdErrors.length > 0);
      third.unsubscribe();
      // Sent in the stream, it reaches `onError` as a TaggingApiError, as a refusal at opening does.
      expect(thirdErrors[0]).toBeInstanceOf(TaggingApiError);
      expect(thirdErrors[0]).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
      expect(TaggingApiError.from(thirdErrors[0]).message).toContain('2 live event streams');
      // Another workspace has its own places.
      const otherErrors: unknown[] = [];
      const otherEvents: ChangeEvent[] = [];
      const other = open(theirs.apiKey, otherErrors, otherEvents);
      const theirTag = await theirs.tag({ name: 'Theirs' });
      await until(() => otherEvents.some((e) => JSON.stringify(e.data).includes(theirTag.id)));
      other.unsubscribe();
      // A closed stream gives its place back.
      streams[0]?.unsubscribe();
      const againEvents: ChangeEvent[] = [];
      const againErrors: unknown[] = [];
      let again: { unsubscribe: () => void } | undefined;
      await until(() => {
        if (againEvents.length > 0) return true;
        if (!again || againErrors.length > 0) {
          again?.unsubscribe();
          againErrors.length = 0;
          again = open(mine.apiKey, againErrors, againEvents);
        }
        return false;
      });
      again?.unsubscribe();
      streams[1]?.unsubscribe();
      expect(errors).toEqual([]);
    } finally {
      await capped.close();
    }
  });

  it('ends the idle streams of a revoked key without waiting for an event, and gives their places back', async () => {
    // Attack (session 25): a revoked key's idle streams kept their places until the workspace's next event.
    const capped = await startTestServer({ eventStreamsPerWorkspace: 2 });
    try {
      const mine = await fixture(capped, 'Revoked');
      const key = await mine.trpc.apiKeys.create.mutate({ name: 'idle', scope: 'read' });
      const tag = await mine.tag({ name: 'Before' });
      const errors: unknown[][] = [[], []];
      const seen: ChangeEvent[][] = [[], []];
      const streams = [0, 1].map((i) =>
        subscribeToEvents({
          baseUrl: capped.url,
          apiKey: key.secret,
          after: 0,
          onEvent: (event) => seen[i]?.push(event),
          onError: (error) => errors[i]?.push(error),
        }),
      );
      await until(() => seen.every((events) => events.some((e) => JSON.stringify(e.data).includes(tag.id))));
      const eventsBefore = seen.map((events) => events.length);
      await mine.trpc.apiKeys.revoke.mutate({ id: key.id });
      // No event is written after the revocation: the watcher's key check alone ends them.
      await until(() => errors.every((list) => list.length > 0), 5_000);
      for (const list of errors) {
        expect(list[0]).toBeInstanceOf(TaggingApiError);
        expect(list[0]).toMatchObject({ code: 'UNAUTHORIZED', status: 401, message: expect.stringMatching(/revoked/) });
      }
      expect(seen.map((events) => events.length)).toEqual(eventsBefore);
      for (const stream of streams) stream.unsubscribe();
      // Both places are free again: two streams of the workspace's other key open and receive.
      const againErrors: unknown[] = [];
      const again: ChangeEvent[][] = [[], []];
      const reopened = [0, 1].map((i) =>
        subscribeToEvents({
          baseUrl: capped.url,
          apiKey: mine.apiKey,
          after: 0,
          onEvent: (event) => again[i]?.push(event),
          onError: (error) => againErrors.push(error),
        }),
      );
      await until(() => again.every((events) => events.length > 0));
      for (const stream of reopened) stream.unsubscribe();
      expect(againErrors).toEqual([]);
    } finally {
      await capped.close();
    }
  });
});
