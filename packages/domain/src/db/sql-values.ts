/**
 * A `timestamptz` as PostgreSQL writes it in a UTC session (DateStyle ISO): `2026-12-03
 * 11:03:11.556123+00`, the fraction absent when zero. Its ISO form needs no date arithmetic.
 */
const utcTimestamp = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00$/;

/**
 * A timestamp of a raw row as ISO 8601 with milliseconds (`2026-12-03T11:03:11.556Z`), what
 * `Date#toISOString` writes: raw rows carry `timestamptz` as PostgreSQL's text (MikroORM's type
 * parsers, both drivers) or a Date. PostgreSQL's text in UTC is rewritten as it stands, the
 * fraction cut to milliseconds as a Date cuts it: parsing it as a Date cost about 2 µs a row
 * (issue 20: 3 a read of a session's tags, a page of a list, every row of an export). Any other
 * form (another time zone, a year past 9999, BC) is read as a Date. Throws a TypeError for what
 * is not a timestamp, a RangeError for an invalid one.
 */
export function toIso(value: unknown): string {
  if (typeof value === 'string') {
    const utc = utcTimestamp.exec(value);
    if (utc) return `${utc[1]}T${utc[2]}.${`${utc[3] ?? ''}000`.slice(0, 3)}Z`;
  }
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' || typeof value === 'number') return new Date(value).toISOString();
  throw new TypeError(`not a timestamp: ${String(value)}`);
}

/** `toIso` of a nullable timestamp column: null (or absent) stays null. */
export function toIsoOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : toIso(value);
}

/**
 * `like` pattern for "starts with", to be used with `escape '!'`. A backslash escape would depend
 * on how the driver quotes the literal; `!` does not.
 */
export function startsWithPattern(prefix: string): string {
  return `${prefix.replace(/[!%_]/g, (char) => `!${char}`)}%`;
}

/** `set` assignments for a partial update: only the changes given, plus `updated_at`. */
export function setClause(changes: [assignment: string, value: unknown][]): { sql: string; params: unknown[] } {
  return {
    sql: ['updated_at = now()', ...changes.map(([assignment]) => assignment)].join(', '),
    params: changes.map(([, value]) => value),
  };
}

/**
 * A list of ids as one `text[]` literal, for `= any(?::text[])`: the statement then carries one
 * parameter, where `in (?)` would expand into one literal per id (10,000 on a full bulk
 * request, which PostgreSQL parses and plans one by one).
 */
export function textArray(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/["\\]/g, (char) => `\\${char}`)}"`).join(',')}}`;
}

/**
 * An enum's values as the list of a `check ("column" in (...))` constraint: `'a', 'b'`. The
 * migrations build their checks from the contracts' lists with it, so an enum is declared once.
 */
export function sqlStringList(values: readonly string[]): string {
  return values.map((value) => `'${value.replace(/'/g, "''")}'`).join(', ');
}
