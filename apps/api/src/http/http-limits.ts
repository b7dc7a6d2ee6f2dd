import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyHttpOptions, FastifyInstance } from 'fastify';
import { maxTrpcBatchSize, maxTrpcProcedureNameLength } from '@tagging/contracts';
import { rawErrorResponse, surfaceOf } from '../errors/surface-errors.ts';
import { OpenCounts } from './open-counts.ts';

/**
 * What one client can make the server hold: time to send a request, connections, body sizes.
 * Each has an environment setting (src/env.ts) and a line in docs/RELIABILITY.md ("Limits").
 */
export type HttpLimits = {
  /** Headers and body of a request must have arrived within this (ms); 408 and the connection closed. */
  requestTimeoutMs: number;
  /** The headers of a request must have arrived within this (ms); at most `requestTimeoutMs`. */
  headersTimeoutMs: number;
  /** A socket with no traffic either way for this long is closed (ms). */
  idleTimeoutMs: number;
  /** An idle keep-alive connection is closed after this (ms). */
  keepAliveTimeoutMs: number;
  /** Open connections per client address; 0 means no limit. */
  maxConnectionsPerClient: number;
  /** Open connections in all; 0 means no limit. */
  maxConnections: number;
  /** The largest body of a single operation (bytes). */
  bodyLimitBytes: number;
  /** The largest body of a bulk operation (bytes). */
  bulkBodyLimitBytes: number;
};

export const defaultHttpLimits: HttpLimits = {
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  idleTimeoutMs: 120_000,
  keepAliveTimeoutMs: 5_000,
  maxConnectionsPerClient: 256,
  maxConnections: 10_000,
  bodyLimitBytes: 1024 * 1024,
  bulkBodyLimitBytes: 10 * 1024 * 1024,
};

/**
 * The longest path parameter the router takes: a tRPC batch's comma-separated procedure names
 * (`/trpc/a,b,c`) at the batch size the server allows. Fastify's default, 100, cut batches of
 * five calls (414).
 */
export const maxParamLength = maxTrpcBatchSize * (maxTrpcProcedureNameLength + 1);

/** Fastify's and Node's options for the limits (Fastify's own timeouts default to none). */
export function fastifyLimitOptions(limits: HttpLimits): FastifyHttpOptions<Server> {
  const shortest = Math.min(limits.requestTimeoutMs, limits.headersTimeoutMs);
  return {
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    bodyLimit: Math.max(limits.bodyLimitBytes, limits.bulkBodyLimitBytes),
    routerOptions: { maxParamLength },
    http: {
      headersTimeout: limits.headersTimeoutMs,
      // A request without Host is refused in the surface's error shape (`request-bodies.ts`);
      // Node's own refusal is an empty 400.
      requireHostHeader: false,
      // Node checks the two timeouts on this interval (default 30 s): short timeouts need it shorter.
      connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(shortest / 4))),
    },
    clientErrorHandler,
  };
}

/**
 * Caps open connections, in all (Node's `maxConnections`) and per client address (counted
 * here: Node has no such option). A connection over either cap is closed on arrival. Behind a
 * proxy every client has the proxy's address: set the per-client cap to 0 there.
 */
export function limitConnections(server: Server, limits: HttpLimits): void {
  if (limits.maxConnections > 0) server.maxConnections = limits.maxConnections;
  const perClient = limits.maxConnectionsPerClient;
  if (perClient <= 0) return;
  const open = new OpenCounts<string>();
  server.on('connection', (socket: Socket) => {
    const close = open.tryOpen(socket.remoteAddress ?? '', perClient);
    if (close) socket.once('close', close);
    else socket.destroy();
  });
}

/** The URL of the request a socket is receiving, for errors raised before Fastify has one. */
const urlOfSocket = new WeakMap<Socket, string>();

/** Remembers each request's URL on its socket (see clientErrorHandler). */
export function rememberRequestUrls(server: Server): void {
  server.on('request', (req) => {
    if (req.url) urlOfSocket.set(req.socket, req.url);
  });
}

const requestLine = /^[A-Z]+ (\S+)/;

/** Sockets whose client error is answered (Node may report more errors of the same socket). */
const refusedSockets = new WeakSet<Socket>();

/** Node's response being written on a socket (`_httpMessage`), with its request. */
const responseOnSocket = (socket: Socket) =>
  (socket as Socket & { _httpMessage?: (ServerResponse & { req?: IncomingMessage }) | null })._httpMessage ?? null;

/**
 * Sends `answer` after the response being written on the socket and every pipelined one queued
 * behind it (Node hands the socket to the next on each `finish`), then closes the connection.
 */
function answerAfterResponses(socket: Socket, response: ServerResponse, answer: string): void {
  response.once('finish', () => {
    // Node's own `finish` listener ran first: the socket is the next response's, or nobody's.
    const next = responseOnSocket(socket);
    if (next && next !== response) return answerAfterResponses(socket, next, answer);
    if (socket.writable) socket.end(answer, () => socket.destroy());
    else socket.destroy();
  });
}

/**
 * Node's client errors (a request too slow, headers or URL too large, not HTTP), answered in the
 * shape of the surface the request names and never echoing it. The URL comes from the request
 * already parsed on the socket (a body too slow) or from the bytes that failed (headers).
 *
 * When the bytes that failed are a later request pipelined behind one whose response is not
 * written yet, that response goes first, whole, and the refusal after it (then the connection
 * closes): answering at once would answer the earlier request with the later one's refusal, and
 * closing at once would drop the answer of a write that is applied anyway. Node's own handler
 * does neither: it writes a 400 only when no response is in flight, and closes the socket.
 * Each refusal is one log line (`request refused`): status, Node's error code, peer address.
 */
function clientErrorHandler(
  this: FastifyInstance,
  error: Error & { code?: string; rawPacket?: unknown },
  socket: Socket,
): void {
  if (error.code === 'ECONNRESET' || socket.destroyed || refusedSockets.has(socket)) return;
  refusedSockets.add(socket);
  const packet = Buffer.isBuffer(error.rawPacket) ? error.rawPacket.subarray(0, 256).toString('latin1') : '';
  const url = requestLine.exec(packet)?.[1] ?? urlOfSocket.get(socket) ?? '';
  const surface = surfaceOf(url);
  const [status, reason, message] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'Request Timeout', 'the request did not arrive in time']
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', 'the request headers (URL included) are too large']
        : [400, 'Bad Request', 'the request is not valid HTTP'];
  // Node's codes are fixed names (HPE_INVALID_HEADER_TOKEN), the address the socket's peer.
  this.log.info(
    { statusCode: status, errorCode: error.code ?? 'unknown', clientAddress: socket.remoteAddress ?? 'unknown' },
    'request refused',
  );
  const answer = rawErrorResponse(surface, status, reason, message);
  const inFlight = responseOnSocket(socket);
  if (inFlight?.req?.complete) {
    // Read nothing more: the connection ends after the answers it owes.
    socket.pause();
    return answerAfterResponses(socket, inFlight, answer);
  }
  // The failing bytes are the request being answered (a body too slow) or no request is in
  // flight: the refusal is its answer, unless part of a response already went out.
  if (socket.writable && !inFlight?.headersSent) socket.write(answer);
  socket.destroy();
}
