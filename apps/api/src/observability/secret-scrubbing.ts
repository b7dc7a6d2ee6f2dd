/**
 * Keeps secrets and request content out of log lines that carry text the server did not write:
 * error messages and stacks. A driver error quotes the SQL with its parameters inlined, and a
 * GraphQL error quotes the variable it could not coerce: either can hold a key or a body's text.
 * Every API key has at least 16 characters, so a quoted run of 16 or more is dropped; shorter
 * quotes (field names, types, short values) stay readable.
 */
const longQuoted = /"[^"\n]{16,}"|'[^'\n]{16,}'/g;

/**
 * The ORM appends the driver's `detail` to the message (` - detail: Failing row contains (…)`),
 * which repeats a row's values unquoted: dropped to the end of its line (black-box attack,
 * session 26: an export's failing chunk row was logged with its contacts).
 */
const driverDetail = / - detail: [^\n]*/g;

export const redacted = '[redacted]';

export const scrubQuoted = (text: string): string =>
  text.replace(longQuoted, `"${redacted}"`).replace(driverDetail, ` - detail: ${redacted}`);

/**
 * Our keys have a recognisable form; any that slips into a line by a path nobody thought of is
 * masked at the last step, on the serialized line (a key needs no JSON escaping).
 */
const issuedKeyForm = /tgk_[\w-]{16,}/;
const issuedKey = new RegExp(issuedKeyForm.source, 'g');

export const maskIssuedKeys = (line: string): string =>
  line.includes('tgk_') ? line.replace(issuedKey, `tgk_${redacted}`) : line;

/** Whether `text` holds something of an issued key's form (`maskIssuedKeys` would mask it). */
export const holdsIssuedKey = (text: string): boolean => text.includes('tgk_') && issuedKeyForm.test(text);

type LoggedError = { type: string; message: string; stack: string; code?: string; statusCode?: number };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * An error as logged: a whitelist (type, code, status, message, stack), never the error's other
 * properties (a driver's `detail` repeats the row's values, a GraphQL error its variables).
 */
export function serializeError(error: unknown): LoggedError {
  if (!isRecord(error) || Array.isArray(error))
    return { type: Array.isArray(error) ? 'Array' : typeof error, message: scrubQuoted(String(error)), stack: '' };
  return {
    type: error instanceof Error ? error.constructor.name : 'Object',
    message: typeof error.message === 'string' ? scrubQuoted(error.message) : '',
    stack: typeof error.stack === 'string' ? scrubQuoted(error.stack) : '',
    ...(typeof error.code === 'string' ? { code: error.code } : {}),
    ...(typeof error.statusCode === 'number' ? { statusCode: error.statusCode } : {}),
  };
}
