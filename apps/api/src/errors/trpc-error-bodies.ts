import { TRPCError } from '@trpc/server';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { errorCodeOfHttpStatus, type ErrorCode, type ErrorIssue } from '@tagging/contracts';
import { failureOf, isUnknownProcedure } from './api-failure.ts';
import { errorTable, shownMessage } from './error-table.ts';

/** What tRPC's error JSON carries in `data` (the SDK reads `errorCode` and `issues`). */
export type ErrorData = {
  code: string;
  httpStatus: number;
  path?: string;
  /** The domain error code; the SDK and the REST bodies use this one. */
  errorCode: ErrorCode;
  issues?: ErrorIssue[];
};

/** A tRPC error for a domain code, through the one table. */
export function toTRPCError(code: ErrorCode, message: string, cause?: unknown): TRPCError {
  return new TRPCError({ code: errorTable[code].trpcCode, message, cause });
}

/**
 * The message and `data` of tRPC's error JSON, for its `errorFormatter`: the failure's message,
 * the domain code, the field issues, and the procedure path unless it is an unknown name the
 * caller typed.
 */
export function trpcErrorFields(
  shapeData: { code: string; httpStatus: number; path?: string | undefined },
  error: TRPCError,
): { message: string; data: ErrorData } {
  const failure = failureOf(error);
  const data: ErrorData = {
    code: shapeData.code,
    httpStatus: shapeData.httpStatus,
    errorCode: failure.code,
    ...(shapeData.path && !isUnknownProcedure(error) ? { path: shapeData.path } : {}),
    ...(failure.issues ? { issues: failure.issues } : {}),
  };
  return { message: failure.message, data };
}

/** tRPC's error JSON for a status, for what fails before a procedure runs: what `formatTRPCError` gives procedures' errors. */
export function trpcErrorBody(status: number, message: string) {
  const errorCode = errorCodeOfHttpStatus(status);
  const code = errorTable[errorCode].trpcCode;
  const data: ErrorData = { code, httpStatus: status, errorCode };
  return { error: { message: shownMessage(errorCode, status, message), code: TRPC_ERROR_CODES_BY_KEY[code], data } };
}
