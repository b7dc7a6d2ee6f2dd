/**
 * An `If-Match` header (RFC 9110 §13.1.1): `*`, or the entity tags it lists. Weak tags
 * (`W/"…"`) are dropped, because If-Match compares strongly and a weak tag never matches. A bare
 * unquoted value is taken as one tag, for clients that forget the quotes.
 */
export type IfMatch = { kind: 'any' } | { kind: 'tags'; tags: string[] };

const entityTag = /(W\/)?"([^"]*)"/g;

export function parseIfMatch(header: string | undefined): IfMatch | undefined {
  const value = header?.trim();
  if (value === undefined || value === '') return undefined;
  if (value === '*') return { kind: 'any' };
  if (!value.includes('"')) return { kind: 'tags', tags: value.split(',').map((tag) => tag.trim()) };
  const tags = [...value.matchAll(entityTag)].filter((match) => match[1] === undefined).map((match) => match[2] ?? '');
  return { kind: 'tags', tags };
}
