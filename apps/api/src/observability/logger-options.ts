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
 * The settings every logger of the server gets, whatever its level and destination: JSON lines
 * with an ISO time, the redactions above, errors as a whitelist of fields, messages and quoted
 * input scrubbed, and a request serialized as its method and path only (a query string can carry
 * anything).
 */
export function loggerOptions(given: LoggerSetting): LoggerSetting {
  if (given === false || given === undefined) return false;
  const options: LoggerOptions = given === true ? {} : given;
  return {
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
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
