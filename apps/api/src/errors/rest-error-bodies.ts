import { errorCodeOfHttpStatus, ErrorCode, ErrorIssue, type ErrorBody, type ZapiniErrorBody } from '@tagging/contracts';
import { z } from 'zod';
import { errorTable, shownMessage } from './error-table.ts';

/** What the REST adapter (or Fastify) put in an error response: tRPC's error JSON as our formatter shapes it, or less. */
const AdapterErrorJson = z
  .object({
    message: z.unknown().optional(),
    data: z
      .object({
        errorCode: ErrorCode.optional().catch(undefined),
        issues: z.array(ErrorIssue).optional().catch(undefined),
      })
      .loose()
      .optional()
      .catch(undefined),
  })
  .loose();

/**
 * The REST error body, `{ code, message, issues? }`, of an error response the adapter or
 * Fastify wrote with `status`: the domain code and issues the tRPC formatter gave it, else the
 * status's code. Internal errors say nothing.
 */
export function restErrorBody(status: number, payload: unknown): ErrorBody {
  const parsed = AdapterErrorJson.safeParse(payload);
  const fields = parsed.success ? parsed.data : {};
  const code = fields.data?.errorCode ?? errorCodeOfHttpStatus(status);
  const message = shownMessage(code, status, String(fields.message ?? 'Request failed'));
  return { code, message, ...(fields.data?.issues ? { issues: fields.data.issues } : {}) };
}

/** A failure as the REST body, with the status it answers (the table's). */
export function restFailure(failure: ErrorBody): { status: number; body: ErrorBody } {
  const status = errorTable[failure.code].httpStatus;
  return {
    status,
    body: {
      code: failure.code,
      message: shownMessage(failure.code, status, failure.message),
      ...(failure.issues ? { issues: failure.issues } : {}),
    },
  };
}

/**
 * Zapini's error envelope (document 002): `{ success: false, message, errors?: { field:
 * [messages] } }`, the issues' paths dot-joined (`body` for an issue of the whole body).
 */
export function zapiniErrorBody(body: ErrorBody): ZapiniErrorBody {
  const errors: Record<string, string[]> = {};
  for (const issue of body.issues ?? []) (errors[issue.path.join('.') || 'body'] ??= []).push(issue.message);
  return { success: false, message: body.message, ...(body.issues ? { errors } : {}) };
}
