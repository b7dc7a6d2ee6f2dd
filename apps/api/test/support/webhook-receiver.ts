import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request the receiver got. */
export type ReceivedWebhook = {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The event as sent. */
  event: { id: string; type: string; seq: number; workspaceId: number; data: Record<string, unknown> };
  /** The status the receiver answered. */
  status: number;
};

/**
 * A real HTTP receiver on 127.0.0.1 for webhook tests: records every request and answers what
 * `respond` decides (default 200). `verified(secret)` checks a request's signature with the
 * `standardwebhooks` library, as an integrator would.
 */
export async function startWebhookReceiver() {
  const received: ReceivedWebhook[] = [];
  /** A status, answered with `ok` (2xx) or `receiver failed on purpose`; or a status and the exact body. */
  type Answer = number | { status: number; body: string | Buffer };
  let respond: (request: { path: string; messageId: string; count: number }) => Answer = () => 200;
  const counts = new Map<string, number>();
  let delayMs = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const messageId = String(req.headers['webhook-id']);
      const key = `${req.url ?? ''} ${messageId}`;
      const count = (counts.get(key) ?? 0) + 1;
      counts.set(key, count);
      const answer = respond({ path: req.url ?? '', messageId, count });
      const status = typeof answer === 'number' ? answer : answer.status;
      const answerBody =
        typeof answer === 'number' ? (status < 300 ? 'ok' : 'receiver failed on purpose') : answer.body;
      received.push({
        path: req.url ?? '',
        headers: req.headers,
        body,
        event: JSON.parse(body) as ReceivedWebhook['event'],
        status,
      });
      const reply = () => res.writeHead(status, { 'content-type': 'text/plain' }).end(answerBody);
      if (delayMs > 0) setTimeout(reply, delayMs);
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    received,
    /** Sets how the receiver answers from now on. */
    answer: (decide: typeof respond) => {
      respond = decide;
    },
    /** Answers each request after `ms` (a slow receiver keeps deliveries in flight). */
    slowDown: (ms: number) => {
      delayMs = ms;
    },
    /** The most requests it has had open at once (arrived, not answered yet). */
    maxInFlight: () => maxInFlight,
    /** Verifies a request's signature with `secret` (throws when it does not match). */
    verify: (request: ReceivedWebhook, secret: string) =>
      new Webhook(secret).verify(request.body, {
        'webhook-id': String(request.headers['webhook-id']),
        'webhook-timestamp': String(request.headers['webhook-timestamp']),
        'webhook-signature': String(request.headers['webhook-signature']),
      }),
    /** Until `predicate` holds on what was received (at most `timeoutMs`). */
    waitFor: async (predicate: (all: ReceivedWebhook[]) => boolean, timeoutMs = 20_000) => {
      const until = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > until)
          throw new Error(`receiver: condition not met in ${timeoutMs} ms (${received.length} received)`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
