import type { FastifyServerOptions } from 'fastify';
import { maskIssuedKeys, redacted, scrubQuoted, serializeError } from './secret-scrubbing.ts';

type LoggerSetting = FastifyServerOptions['logger'];
type LoggerOptions = Exclude<LoggerSetting, boolean | undefined>;

/**
 * Fields that may hold a key or a request's content, wherever a caller puts them in a log call.
 * Nothing in the server logs headers or bodies; this is the net under that rule.
 */
const redactedPaths = [
  'authorization',
  'apiKey',
  'api_key',
  'key',
  'secret',
  'password',
  'body',
  '*.authorization',
  '*.apiKey',
  '*.api_key',
  '*.key',
  '*.secret',
  '*.password',
  '*.body',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["x-api-key"]',
  'req.headers',
];

type RequestLike = { method?: string; url?: string; routeOptions?: { url?: string } };

/**
 * pino's `timestamp` for JSON lines: `,"time":"2026-12-03T11:03:11.556Z"` (what
 * `Date#toISOString` writes), its second's part made once a second and the milliseconds added:
 * `new Date().toISOString()` cost 1.4 µs a line, and every request writes one (issue 20).
 */
export function isoTimeField(): () => string {
  let second = Number.NaN;
  let head = '';
  return () => {
    const now = Date.now();
    const millis = now % 1000;
    if (now - millis !== second) {
      second = now - millis;
      head = `,"time":"${new Date(second).toISOString().slice(0, 20)}`;
    }
    return `${head}${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z"`;
  };
}

/**
 * The settings every logger of the server gets, whatever its level and destination: JSON lines
 * with an ISO time, the redactions above, errors as a whitelist of fields, messages and quoted
 * input scrubbed, and a request serialized as its method and path only (a query string can carry
 * anything).
 */
export function loggerOptions(given: LoggerSetting): LoggerSetting {
  if (given === false || given === undefined) return false;
  const options: LoggerOptions = given === true ? {} : given;
  return {
    timestamp: isoTimeField(),
    ...options,
    redact: { paths: redactedPaths, censor: redacted },
    serializers: {
      ...options.serializers,
      err: serializeError,
      error: serializeError,
      req: (req: RequestLike) => ({ method: req.method, path: req.url?.split('?', 1)[0] }),
    },
    hooks: {
      // Messages can quote input too (mercurius logs a GraphQL error's message as the line's).
      logMethod(args, method) {
        const scrubbed = args.map((arg: unknown) => (typeof arg === 'string' ? scrubQuoted(arg) : arg));
        method.apply(this, scrubbed as Parameters<typeof method>);
      },
      streamWrite: maskIssuedKeys,
    },
  };
}
