/**
 * Deterministic ids for generated rows: `<prefix>_00000000-0000-7000-8000-<n as 12 hex digits>`.
 * They match the API's id pattern, sort by `n`, sort before every id the server mints (UUIDv7
 * with today's time), and let the harness name any generated row without querying for it.
 */
const uuidHead = '00000000-0000-7000-8000-';

export type Prefix = 'contact' | 'wses' | 'wtag' | 'etag';

export const benchId = (prefix: Prefix, n: number): string =>
  `${prefix}_${uuidHead}${n.toString(16).padStart(12, '0')}`;

/** The same id as a SQL expression of an integer expression. */
export const benchIdSql = (prefix: Prefix, expression: string): string =>
  `('${prefix}_${uuidHead}' || lpad(to_hex(${expression}), 12, '0'))`;

/** Sessions of an ordinary contact `c` are numbered `c * 64 + j`, j = 1..k (k ≤ 63). */
export const sessionNumber = (contact: number, j: number): number => contact * 64 + j;

/** Sessions of the large contacts (contacts 1..4) are numbered from `contact * 10^9`. */
export const bigSessionBase = (contact: number): number => contact * 1_000_000_000;
