/** Raw rows carry timestamps as Date (PostgreSQL driver) or string (PGlite); both become ISO. */
export function toIso(value: unknown): string {
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
