import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { cutText } from '@tagging/contracts';
import type { AttemptOutcome, ClaimedDelivery } from '@tagging/domain';
import { Webhook } from 'standardwebhooks';
import { guardedLookup, refusedLiteralAddress, type WebhookUrlPolicy } from './url-guard.ts';

/** Bounds of one delivery attempt (env.ts: WEBHOOK_*). */
export type WebhookSendSettings = WebhookUrlPolicy & {
  /** The whole attempt: connect, send, and read the response (ms). */
  timeoutMs: number;
  /** Response bytes read before the connection is closed; the attempt is judged on its status. */
  maxResponseBytes: number;
  /** Characters of the response kept in the attempt's record. */
  storedResponseChars: number;
};

/**
 * One signer per secret: `new Webhook(secret)` decodes the secret, which every delivery would
 * otherwise repeat. Bounded: cleared when it holds more secrets than a process plausibly uses.
 */
const signers = new Map<string, Webhook>();
const signerOf = (secret: string): Webhook => {
  let signer = signers.get(secret);
  if (!signer) {
    if (signers.size >= 1000) signers.clear();
    signer = new Webhook(secret);
    signers.set(secret, signer);
  }
  return signer;
};

/**
 * Connections are kept open and reused per receiver (host and port), so a busy endpoint costs
 * one TCP (and TLS) handshake, not one per delivery. The address check (`guardedLookup`) runs
 * whenever a connection is opened; a reused one was checked when it was.
 */
const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

/**
 * The Standard Webhooks headers of a body: `webhook-id` (the event id, the same on every
 * attempt), `webhook-timestamp` (now, seconds) and `webhook-signature`, one `v1,…` signature per
 * secret (both during a rotation's grace period), signed by the `standardwebhooks` library.
 */
export function signedHeaders(messageId: string, body: string, secrets: readonly string[], now = new Date()) {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => signerOf(secret).sign(messageId, now, body)).join(' '),
  };
}

/**
 * Sends one attempt: POSTs the signed body and reads at most `maxResponseBytes` of the answer
 * within `timeoutMs`. Never throws: a refused address, a timeout or a reset is an outcome
 * without a status.
 */
export function sendWebhook(delivery: ClaimedDelivery, settings: WebhookSendSettings): Promise<AttemptOutcome> {
  const attemptedAt = new Date().toISOString();
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  // An address written in the URL is connected to without a lookup: checked here instead.
  const refused = refusedLiteralAddress(delivery.url, settings.allowPrivate);
  if (refused)
    return Promise.resolve({ statusCode: null, responseBody: null, error: refused, attemptedAt, latencyMs: latency() });
  return new Promise<AttemptOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: Omit<AttemptOutcome, 'latencyMs' | 'attemptedAt'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...outcome, attemptedAt, latencyMs: latency() });
    };
    const url = new URL(delivery.url);
    const https = url.protocol === 'https:';
    const request = (https ? httpsRequest : httpRequest)(
      url,
      {
        method: 'POST',
        agent: https ? agents.https : agents.http,
        lookup: guardedLookup(settings.allowPrivate),
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(delivery.body),
          'user-agent': 'tagging-webhooks/1',
          ...signedHeaders(delivery.messageId, delivery.body, delivery.secrets),
        },
      },
      (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () =>
          finish({
            statusCode: response.statusCode ?? null,
            responseBody: cutText(Buffer.concat(chunks).toString('utf8'), settings.storedResponseChars),
            error: null,
          });
        response.on('data', (chunk: Buffer) => {
          if (size < settings.maxResponseBytes) chunks.push(chunk.subarray(0, settings.maxResponseBytes - size));
          size += chunk.length;
          // Enough read to judge the attempt: stop the receiver from streaming more.
          if (size >= settings.maxResponseBytes) {
            done();
            response.destroy();
          }
        });
        response.on('end', done);
        response.on('error', done);
      },
    );
    const timer = setTimeout(() => {
      finish({ statusCode: null, responseBody: null, error: `timed out after ${settings.timeoutMs} ms` });
      request.destroy();
    }, settings.timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) =>
      finish({ statusCode: null, responseBody: null, error: `${error.code ?? 'ERROR'}: ${error.message}` }),
    );
    request.end(delivery.body);
  });
}
