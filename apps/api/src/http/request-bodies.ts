import { isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest, RequestPayload } from 'fastify';
import { surfaceOf } from '../errors/surface-errors.ts';
import { bodyLimitOf, tooLargeMessage, type BodyLimits } from './body-limits.ts';
import { payloadHook, requestHook } from './hook-forms.ts';

type HttpError = Error & { statusCode: number };
const httpError = (statusCode: number, message: string): HttpError => Object.assign(new Error(message), { statusCode });

const notUtf8 = 'the body is not valid UTF-8';

/**
 * `Application/JSON; Charset=UTF-8` as `application/json; charset=utf-8`: media types, parameter
 * names and the charset are case-insensitive (RFC 9110 §8.3.1), and every parser downstream
 * (Fastify's, tRPC's, the REST adapter's) compares them as written.
 */
function normalizedContentType(header: string): string {
  return header
    .split(';')
    .map((part, index) => {
      const trimmed = part.trim();
      if (index === 0) return trimmed.toLowerCase();
      const equals = trimmed.indexOf('=');
      if (equals < 0) return trimmed.toLowerCase();
      const name = trimmed.slice(0, equals).trim().toLowerCase();
      const value = trimmed.slice(equals + 1).trim();
      return `${name}=${name === 'charset' ? value.toLowerCase() : value}`;
    })
    .join('; ');
}

/** Media types whose bodies are text the server decodes as UTF-8. */
const isTextBody = (mediaType: string) =>
  mediaType === 'application/json' || mediaType.endsWith('+json') || mediaType === 'application/graphql';

const charsetOf = (contentType: string) => /(?:^|;\s*)charset="?([^";]*)"?/.exec(contentType)?.[1];

/** `identity` (or nothing) is the only content coding taken (RFC 9110 §8.4.1: no decoding is done). */
const isIdentity = (coding: string) => {
  const name = coding.trim().toLowerCase();
  return name === '' || name === 'identity';
};

/**
 * A body whose codings the server does not undo is refused before it is read (and the connection
 * closed after the answer, as for every body refused unread): a content coding other than
 * `identity` is a 415 with `Accept-Encoding: identity` (RFC 9110 §15.5.16, §12.5.3); a transfer
 * coding other than a single `chunked` (`gzip, chunked`, two Transfer-Encoding headers) is a 400.
 * Node's parser undoes `chunked` only, so the rest would be read as plain JSON. RFC 9112 §6.1
 * suggests 501, but a 5xx says the server failed (clients retry it, and its body hides its cause).
 */
function refuseCodings(req: FastifyRequest, reply: FastifyReply): void {
  const contentEncoding = req.headers['content-encoding'];
  if (contentEncoding !== undefined && !isIdentity(contentEncoding)) {
    reply.header('accept-encoding', 'identity');
    throw httpError(415, 'bodies are sent without a content coding (Content-Encoding: identity)');
  }
  const transferEncoding = req.headers['transfer-encoding'];
  if (transferEncoding !== undefined && transferEncoding.trim().toLowerCase() !== 'chunked') {
    reply.header('connection', 'close');
    throw httpError(400, 'the only transfer coding taken is chunked, once');
  }
}

const hasBody = (req: FastifyRequest) =>
  req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

/**
 * Whether the request has a body that nothing has read to its end: it was answered before its
 * body was read (a refusal from the headers: 401, 405, a CORS preflight, a body limit). Node
 * would otherwise read and discard the rest to reach the next request on the connection, up to
 * any size the client sends, so the server's `onSend` closes such a connection after the answer.
 */
export const bodyLeftUnread = (req: FastifyRequest): boolean => hasBody(req) && !req.raw.readableEnded;

/** The length of `bytes` without a multi-byte sequence cut at its end (kept for the next chunk). */
function completeLength(bytes: Buffer): number {
  for (let index = bytes.length - 1, back = 1; index >= 0 && back <= 4; index--, back++) {
    const byte = bytes[index] ?? 0;
    if ((byte & 0xc0) === 0x80) continue;
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return back < needed ? index : bytes.length;
  }
  return bytes.length;
}

/**
 * The body as it streams in: refused (413) past the route's limit while it arrives, whatever
 * Content-Length said, and refused (400) at the first byte that is not UTF-8 when it is text.
 */
class CheckedBody extends Transform {
  private received = 0;
  private carry = Buffer.alloc(0);
  private readonly limit: number;
  private readonly text: boolean;

  constructor(limit: number, text: boolean) {
    super();
    this.limit = limit;
    this.text = text;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.received += chunk.length;
    if (this.received > this.limit) return callback(httpError(413, tooLargeMessage(this.limit)));
    if (this.text) {
      const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
      const complete = completeLength(bytes);
      if (!isUtf8(bytes.subarray(0, complete))) return callback(httpError(400, notUtf8));
      // A copy: the chunk's memory may be reused by the socket.
      this.carry = Buffer.from(bytes.subarray(complete));
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    callback(this.carry.length > 0 ? httpError(400, notUtf8) : null);
  }
}

/**
 * Why a JSON body was refused: not JSON at all (a syntax error, trailing bytes), or JSON with a
 * key that could reach an object's prototype (`__proto__`, `constructor.prototype`), which
 * Fastify's parser refuses and no input takes. Never quotes the body.
 */
function invalidJsonError(text: string): HttpError {
  try {
    JSON.parse(text);
  } catch {
    return httpError(400, 'the body is not valid JSON');
  }
  return httpError(400, 'the body has a "__proto__" or "constructor" key, which no input takes');
}

/**
 * How bodies are read, the same on every surface:
 * - an HTTP/1.1 request without Host is a 400 (before any body is read);
 * - a body with a content coding (gzip, br) is a 415, one with a transfer coding other than
 *   `chunked` a 400 (`refuseCodings`);
 * - `Content-Type` is compared case-insensitively (normalized before anything reads it);
 * - a JSON or GraphQL body in a charset other than UTF-8 is a 415, and one whose bytes are not
 *   UTF-8 a 400 (they were decoded with U+FFFD and stored): checked as the body streams, or, for
 *   JSON with a Content-Length, by the JSON parser;
 * - each operation has its body limit (`bodyLimitOf`), checked on Content-Length before a byte
 *   is read, and while the body streams when it has no length (chunked);
 * - a JSON content type with an empty body is no body (many HTTP clients always send the header).
 */
export function registerRequestBodies(app: FastifyInstance, limits: BodyLimits): void {
  app.addHook(
    'onRequest',
    requestHook((req) => {
      // HTTP/1.1 requires Host (RFC 9112 §3.2); Node's own check (off: `requireHostHeader`)
      // answered an empty 400. One header lookup, in the hook every request already runs.
      if (req.headers.host === undefined && req.raw.httpVersion === '1.1')
        throw httpError(400, 'an HTTP/1.1 request needs a Host header');
      const contentType = req.headers['content-type'];
      if (contentType) req.headers['content-type'] = normalizedContentType(contentType);
    }),
  );

  app.addHook(
    'preParsing',
    payloadHook<RequestPayload>((req, reply, payload: RequestPayload) => {
      if (!hasBody(req)) return payload;
      refuseCodings(req, reply);
      const contentType = req.headers['content-type'] ?? '';
      const mediaType = contentType.split(';', 1)[0]?.trim() ?? '';
      const text = isTextBody(mediaType);
      const charset = charsetOf(contentType);
      if (text && charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
        throw httpError(415, 'bodies are UTF-8 (charset=utf-8); no other charset is taken');
      // The REST adapter would refuse other types itself, quoting the header back.
      const surface = surfaceOf(req.url);
      if ((surface === 'rest' || surface === 'zapini') && mediaType !== 'application/json')
        throw httpError(415, 'bodies are JSON in UTF-8 (Content-Type: application/json)');
      const limit = bodyLimitOf(req.method, req.url, limits);
      if (Number(req.headers['content-length']) > limit) throw httpError(413, tooLargeMessage(limit));
      // A JSON body of a stated length needs no stream of checks (issue 20: the stream cost ~2 % of
      // a write's CPU): Node's parser reads no more than Content-Length bytes and Fastify refuses
      // fewer (400), so the limit above holds, and the JSON parser below checks UTF-8 itself.
      // `/trpc` keeps the stream: tRPC's adapter puts its own JSON parser (a string) in its scope.
      if (mediaType === 'application/json' && req.headers['transfer-encoding'] === undefined && surface !== 'trpc')
        return payload;
      const checked = new CheckedBody(limit, text);
      payload.on('error', (error) => checked.destroy(error));
      // Its reader (Fastify's body parser, tRPC's adapter) listens for its errors; a body nobody
      // reads (a GET's, under a subscription's stream) must not take the process down when the
      // client aborts it: an 'error' event without a listener throws (black-box attack, session
      // 22). The request is dropped with its socket either way.
      checked.on('error', () => undefined);
      return payload.pipe(checked);
    }),
  );

  // Fastify's JSON parser, except that an empty body is no body rather than a 400, and bytes
  // that are not UTF-8 are refused (400) rather than decoded with U+FFFD.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    const bytes = body as Buffer;
    if (bytes.length === 0) return done(null, undefined);
    if (!isUtf8(bytes)) return done(httpError(400, notUtf8), undefined);
    const text = bytes.toString('utf8');
    // The default parser answers through `done`; its return value carries nothing. Its refusal
    // says only "not valid JSON" under a code the REST scope words as "not valid HTTP": say
    // which it is (a refusal's path only, never on a success).
    void parseJson(req, text, (error, body) => done(error ? invalidJsonError(text) : null, body));
  });
}
