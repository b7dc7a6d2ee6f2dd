import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { sendSurfaceError } from './surface-errors.ts';

/** The status of an error Fastify raised itself (parsing, body limit, routing); 500 for anything else. */
export function fastifyErrorStatus(error: { statusCode?: number | undefined }): number {
  const status = error.statusCode;
  return status !== undefined && status >= 400 && status < 600 ? status : 500;
}

/** What Fastify's own refusals say, in words that never repeat the request (a path, a content type, a JSON excerpt). */
const fastifyMessages: Record<string, string> = {
  FST_ERR_BAD_URL: 'the URL does not decode (a malformed percent-escape)',
  FST_ERR_MAX_PARAM_LENGTH: 'a path segment is longer than this server takes',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'bodies are JSON in UTF-8 (Content-Type: application/json)',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'the body is not as long as its Content-Length says',
  FST_ERR_CTP_BODY_TOO_LARGE: 'the body is larger than this route takes',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'the body is empty',
  FST_ERR_CTP_INVALID_TYPE: 'the Content-Type header is not valid',
  FST_ERR_CTP_INVALID_PARSE_TYPE: 'the Content-Type header is not valid',
};

/**
 * The message an error raised outside the procedures may show: a fixed one for Fastify's own
 * codes and for JSON syntax errors (whose text quotes the body), the error's own otherwise.
 */
export function publicMessageOf(error: { code?: string | undefined; message: string; name?: string }): string {
  const fixed = error.code === undefined ? undefined : fastifyMessages[error.code];
  if (fixed) return fixed;
  if (error.name === 'SyntaxError') return 'the body is not valid JSON';
  if (error.code?.startsWith('FST_')) return 'the request is not valid HTTP for this route';
  return error.message;
}

/**
 * What Fastify refuses before any route or scope runs (a URL that does not decode, a path
 * segment over `maxParamLength`), answered in the error shape of the surface the URL names
 * instead of Fastify's own, and without repeating the URL.
 */
export function frameworkErrors(error: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  void sendSurfaceError(reply, status, publicMessageOf(error));
}
