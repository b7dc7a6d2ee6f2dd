import fc from 'fast-check';
import { maxBulkEntities } from '@tagging/contracts';

/**
 * Inputs for the fuzzers: values derived from a JSON Schema (the served OpenAPI document's
 * request schemas, the Zod input schemas converted, or GraphQL input types translated), then
 * mutated the ways clients and attackers get them wrong.
 */

/** The part of JSON Schema the contracts produce. */
export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  /** The prefix an id parameter implies (ids take any string; their schema says so this way). */
  'x-id-prefix'?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
};

/**
 * The schema with each `#/components/schemas/<name>` reference replaced by what it names, so that
 * a fuzzer sees a route's whole input; a reference inside its own definition (the recursive
 * `JsonValue`) becomes `{}`, any value.
 */
export function inlinedRefs(
  schema: unknown,
  components: Record<string, unknown>,
  open: ReadonlySet<string> = new Set(),
): JsonSchema {
  const walk = (value: unknown, within: ReadonlySet<string>): unknown => {
    if (Array.isArray(value)) return value.map((item) => walk(item, within));
    if (typeof value !== 'object' || value === null) return value;
    const { $ref: ref, ...rest } = value as Record<string, unknown>;
    const entries = Object.entries(rest).map(([key, item]) => [key, walk(item, within)] as const);
    const name = typeof ref === 'string' ? /^#\/components\/schemas\/(.+)$/.exec(ref)?.[1] : undefined;
    if (name === undefined) return Object.fromEntries(entries);
    if (within.has(name)) return Object.fromEntries(entries);
    const target = walk(components[name], new Set([...within, name])) as Record<string, unknown>;
    return { ...target, ...Object.fromEntries(entries) };
  };
  return walk(schema, open) as JsonSchema;
}

/**
 * Ids a request may name: the caller's own records first (so that many requests are valid and
 * reach the domain), then another workspace's, well-formed ids of nothing, and ids of the
 * wrong kind.
 */
export type IdPools = {
  workspaceIds: number[];
  tag: string[];
  contact: string[];
  session: string[];
  export: string[];
};

const oneMiB = 1024 * 1024;
/** Strings of 1 MiB, ASCII and 4-byte characters. */
const hugeStrings = ['x'.repeat(oneMiB), '😀'.repeat(oneMiB / 4)];

/** Text edge cases every string field must either store faithfully or refuse with a 400. */
const edgeStrings = [
  '',
  ' ',
  '   padded   ',
  'a\u0000b',
  '\u0000',
  '\uD800',
  'lone \uDFFF low',
  '\uDBFF\uDBFF',
  'right-to-left \u202Eevil\u202C',
  '\u05E9\u05DC\u05D5\u05DD',
  'zero\u200Bwidth\u200D\uFEFF',
  '\u200B',
  '👩‍👩‍👧‍👦',
  '🇫🇷',
  '1️⃣',
  '\u0301',
  'e\u0301',
  '\uFFFF\uFFFE',
  '\u{10FFFF}',
  'line\r\nbreak\ttab',
  "'; drop table tag; --",
  '%_\\!',
  '${x}{{x}}',
  '__proto__',
  'constructor',
  'null',
  'true',
  '0',
  '-1',
  '1e309',
  'NaN',
  '9007199254740993',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  'wtag_',
  'wtag_00000000-0000-0000-0000-000000000000',
  'WTAG_01A20800-0000-7000-8000-000000000000',
];

/** Any UTF-16 code units, lone surrogates included. */
const codeUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)) });

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...edgeStrings) },
  { weight: 2, arbitrary: codeUnits },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom(...hugeStrings) },
);

/** A value of some other JSON type than the schema asks for (or a hostile string). */
const wrongTypeValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.constantFrom(-0, 0.5, 2 ** 53 + 1, -(2 ** 31) - 1, 2 ** 31, 1e308, -1e308, 5e-324),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom([], {}, [null], { '': null }),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  hostileString,
);

const idPoolOf = (pattern: string, pools: IdPools): string[] | undefined => {
  if (pattern.startsWith('^wtag_')) return pools.tag;
  if (pattern.startsWith('^contact_')) return pools.contact;
  if (pattern.startsWith('^wses_')) return pools.session;
  if (pattern.startsWith('^exp_')) return pools.export;
  return undefined;
};

/** Ids of any kind: the wrong prefix for most fields. */
const anyId = (pools: IdPools) => fc.constantFrom(...pools.tag, ...pools.contact, ...pools.session);

const typesOf = (schema: JsonSchema): string[] =>
  schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];

/** Values the schema describes (or nearly: pools hold ids of other workspaces and the wrong kind). */
export function valueOf(schema: JsonSchema, pools: IdPools, key?: string): fc.Arbitrary<unknown> {
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches && branches.length > 0) return fc.oneof(...branches.map((branch) => valueOf(branch, pools, key)));
  if (schema.allOf?.[0]) return valueOf(schema.allOf[0], pools, key);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const types = typesOf(schema);
  if (types.length > 1) return fc.oneof(...types.map((type) => valueOf({ ...schema, type }, pools, key)));
  switch (types[0]) {
    case 'string':
      return stringOf(schema, pools, key);
    case 'integer':
    case 'number': {
      if (key === 'workspaceId') return fc.constantFrom(...pools.workspaceIds);
      const min = Math.max(schema.minimum ?? (schema.exclusiveMinimum ?? -1001) + 1, -1000);
      const max = Math.min(schema.maximum ?? (schema.exclusiveMaximum ?? 1001) - 1, 1000);
      return fc.integer({ min, max: Math.max(min, max) });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(schema.items ? valueOf(schema.items, pools) : fc.jsonValue({ maxDepth: 1 }), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3)),
      });
    case 'object': {
      const properties = schema.properties ?? {};
      if (Object.keys(properties).length === 0)
        return fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
      const record = Object.fromEntries(
        Object.entries(properties).map(([name, property]) => [name, valueOf(property, pools, name)]),
      );
      return fc.record(record, { requiredKeys: (schema.required ?? []).filter((name) => name in record) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringOf(schema: JsonSchema, pools: IdPools, key?: string): fc.Arbitrary<string> {
  if (key === 'tag_ids' || key === 'exclude_tag_ids')
    return fc.array(fc.constantFrom(...pools.tag), { maxLength: 3 }).map((ids) => ids.join(','));
  if (key === 'emoji') return fc.constantFrom('⭐', '🔥', '👩‍👩‍👧‍👦', '🇫🇷', '1️⃣', 'x', '⭐⭐');
  if (key === 'entityType') return fc.constantFrom('contact', 'session', 'Contact', 'tag', '');
  if (key === 'entityId') return fc.oneof(anyId(pools), hostileString);
  const idPrefix = schema['x-id-prefix'];
  if (idPrefix) {
    const ids = idPoolOf(`^${idPrefix}_`, pools);
    if (ids) return fc.constantFrom(...ids);
  }
  if (schema.pattern) {
    const ids = idPoolOf(schema.pattern, pools);
    if (ids) return fc.constantFrom(...ids);
    const max = schema.maxLength;
    return fc.stringMatching(new RegExp(schema.pattern)).filter((value) => max === undefined || value.length <= max);
  }
  const minLength = schema.minLength ?? 0;
  return fc.string({ minLength, maxLength: Math.max(minLength, Math.min(schema.maxLength ?? 30, 30)) });
}

// ---- mutations -------------------------------------------------------------------------------

type Path = (string | number)[];

/** Every place in a value a mutation can hit: the value itself, each property, each element. */
function spotsOf(value: unknown, path: Path = []): Path[] {
  const here = [path];
  if (Array.isArray(value)) return [...here, ...value.flatMap((item, index) => spotsOf(item, [...path, index]))];
  if (typeof value === 'object' && value !== null)
    return [...here, ...Object.entries(value).flatMap(([name, item]) => spotsOf(item, [...path, name]))];
  return here;
}

/** The schema of the value at `path` (the first branch of a union that has one). */
function schemaAt(schema: JsonSchema | undefined, path: Path): JsonSchema | undefined {
  let current = schema;
  for (const step of path) {
    if (!current) return undefined;
    const branches = current.anyOf ?? current.oneOf ?? [current];
    const branch = branches.find((b) => (typeof step === 'number' ? b.items : b.properties?.[step]));
    current = typeof step === 'number' ? branch?.items : branch?.properties?.[step];
  }
  return current;
}

const maxItemsOf = (schema: JsonSchema | undefined): number | undefined =>
  schema?.maxItems ?? (schema?.anyOf ?? schema?.oneOf ?? []).find((branch) => branch.maxItems)?.maxItems;

export type Change =
  | { kind: 'replace'; value: unknown }
  | { kind: 'drop' }
  | { kind: 'extra-field'; name: string; value: unknown }
  | { kind: 'oversize-array' };

const change: fc.Arbitrary<Change> = fc.oneof(
  { weight: 4, arbitrary: wrongTypeValue.map((value): Change => ({ kind: 'replace', value })) },
  { weight: 4, arbitrary: hostileString.map((value): Change => ({ kind: 'replace', value })) },
  { weight: 2, arbitrary: fc.constant<Change>({ kind: 'drop' }) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom('extra', '__proto__', 'constructor', 'workspaceId', 'id', ''),
        fc.jsonValue({ maxDepth: 1 }),
      )
      .map(([name, value]): Change => ({ kind: 'extra-field', name, value })),
  },
  { weight: 1, arbitrary: fc.constant<Change>({ kind: 'oversize-array' }) },
);

const clone = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

/** `value` with one change at `path`; a short description of it for failure reports. */
function applyChange(
  value: unknown,
  path: Path,
  what: Change,
  schema: JsonSchema | undefined,
): { value: unknown; description: string } {
  const root = { value: clone(value) };
  const full: Path = ['value', ...path];
  const parent = full.slice(0, -1).reduce<unknown>((node, step) => (node as Record<string, unknown>)[step], root) as
    Record<string | number, unknown> | unknown[];
  const last = full[full.length - 1] as string | number;
  const target = (parent as Record<string | number, unknown>)[last];
  const at = path.length === 0 ? 'the input' : path.join('.');
  switch (what.kind) {
    case 'replace':
      (parent as Record<string | number, unknown>)[last] = what.value;
      return { value: root.value, description: `${at} = ${describe(what.value)}` };
    case 'drop':
      if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
      else Reflect.deleteProperty(parent, last);
      return { value: root.value, description: `${at} removed` };
    case 'extra-field': {
      if (typeof target !== 'object' || target === null || Array.isArray(target))
        return { value: root.value, description: 'unchanged' };
      // defineProperty, so that "__proto__" becomes an own key that JSON.stringify sends.
      Object.defineProperty(target, what.name, { value: what.value, enumerable: true, writable: true });
      return { value: root.value, description: `${at}.${what.name} added = ${describe(what.value)}` };
    }
    case 'oversize-array': {
      const limit = maxItemsOf(schemaAt(schema, path)) ?? maxBulkEntities;
      const item = Array.isArray(target) ? (target[0] ?? null) : target;
      (parent as Record<string | number, unknown>)[last] = Array.from({ length: limit + 1 }, () => clone(item));
      return { value: root.value, description: `${at} = ${limit + 1} copies of ${describe(item)}` };
    }
  }
}

/** A value for a failure report: long strings cut, code units escaped. */
export function describe(value: unknown): string {
  const text = JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'string' && item.length > 60 ? `${item.slice(0, 40)}…(${item.length} chars)` : item,
  );
  if (text === undefined) return 'undefined';
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/** A valid-looking value of the schema with one mutation somewhere in it. */
export function mutatedValueOf(
  schema: JsonSchema,
  pools: IdPools,
): fc.Arbitrary<{ value: unknown; description: string }> {
  return valueOf(schema, pools).chain((value) =>
    fc.tuple(fc.constantFrom(...spotsOf(value)), change).map(([path, what]) => applyChange(value, path, what, schema)),
  );
}

/** Bodies that are not JSON, or JSON no schema expects. */
export const malformedJsonBodies = [
  '',
  '{',
  '{"a":',
  '{"a":1,}',
  "{'a':1}",
  'nul',
  'undefined',
  'NaN',
  '\u0000',
  '{"a":"\u0000"}',
  '"\\ud800"',
  '{"a":"\\u0000"}',
  '1e999999',
  '[]',
  'null',
  '"text"',
  '{"__proto__":{"polluted":true}}',
  `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  `{"a":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`,
  '\uFEFF{}',
  '{}{}',
];

/** Content types a JSON route may be sent by mistake. */
export const oddContentTypes = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  'application/xml',
  'application/jsonx',
];
