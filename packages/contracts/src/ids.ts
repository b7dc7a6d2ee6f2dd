import { z } from 'zod';
import { Text } from './text.ts';
import { isIntegerIn } from './query-integers.ts';

/** Every id is a prefix and a UUIDv7, e.g. `wtag_0190f5c4-...`; the prefix says what it names. */
export const idPrefixes = {
  tag: 'wtag',
  contact: 'contact',
  session: 'wses',
  entityTag: 'etag',
  contactExport: 'exp',
  apiKey: 'key',
  event: 'evt',
  webhookEndpoint: 'whep',
  webhookDelivery: 'whdl',
  webhookAttempt: 'what',
} as const;

export type IdPrefix = (typeof idPrefixes)[keyof typeof idPrefixes];

const uuidPattern = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const bareUuid = new RegExp(`^${uuidPattern}$`);
/** Each prefix's canonical form, `prefix_<lowercase uuid>`. */
const canonicalForms = Object.fromEntries(
  Object.values(idPrefixes).map((prefix) => [
    prefix,
    new RegExp(`^${prefix}_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`),
  ]),
) as Record<IdPrefix, RegExp>;

/** The longest id an input may name: the documents' schema types ids `VARCHAR(255)`. */
export const maxIdLength = 255;

/**
 * The canonical form of an id a client sent for a parameter that names a `prefix` record: the
 * prefixed form (`wtag_<uuid>`) and the bare UUID (the parameter implies the prefix) in any
 * letter case become `prefix_<lowercase uuid>`. Anything else, whitespace around an id included,
 * is returned as sent: it names no record, so the lookup answers "not found" (issue 14: a wrong
 * shape is not a validation error).
 */
export function canonicalId(prefix: IdPrefix, value: string): string {
  // Most ids arrive canonical (every output, most inputs): one test, no new string (issue 20).
  if (canonicalForms[prefix].test(value)) return value;
  // Not trimmed: ` wtag_<uuid>` is not a form a client holds (docs/DECISIONS.md, "Ids in every form").
  const separator = value.lastIndexOf('_');
  const uuid = separator === -1 ? value : value.slice(separator + 1);
  if (!bareUuid.test(uuid)) return value;
  if (separator !== -1 && value.slice(0, separator).toLowerCase() !== prefix) return value;
  return `${prefix}_${uuid.toLowerCase()}`;
}

/** The UUID behind a prefixed id (`wtag_<uuid>` → `<uuid>`), as the Zapini dialect shows ids. */
export const uuidOf = (id: string): string => id.slice(id.lastIndexOf('_') + 1);

/**
 * An id parameter naming a `prefix` record: any string of 1–255 storable characters is
 * accepted and brought to its canonical form (see `canonicalId`); only a missing value, a
 * non-string, an empty or an over-long one is a validation error. Outputs use it too: our own
 * ids are canonical already, so it changes nothing there.
 */
export const prefixedId = (prefix: IdPrefix) =>
  Text.min(1, { message: `must be an id (${prefix}_<uuid> or the bare UUID)` })
    .max(maxIdLength)
    .overwrite((value) => canonicalId(prefix, value))
    .meta({
      description: `A ${prefix}_<uuid> id; the bare UUID (any letter case) is accepted too`,
      // Not a \`pattern\`: an id of another shape is not refused, it is not found.
      'x-id-prefix': prefix,
    });

export const TagId = prefixedId(idPrefixes.tag);
export const ContactId = prefixedId(idPrefixes.contact);
export const SessionId = prefixedId(idPrefixes.session);
export const ContactExportId = prefixedId(idPrefixes.contactExport);
export const ApiKeyId = prefixedId(idPrefixes.apiKey);

const maxWorkspaceId = 2_147_483_647;

const isWorkspaceId = (value: unknown): boolean => isIntegerIn(value, 1, maxWorkspaceId);

/**
 * Workspaces have integer ids; the REST documents pass them as strings (the query string),
 * tRPC as JSON numbers, GraphQL as `Int`. Only the canonical writing of a positive integer is
 * one: `0x1`, `1e0`, `1.0`, `+1`, `01` or ` 1` is not a workspace id (400), though `Number()`
 * reads each as 1. Missing, or given twice (an array), says what is expected. One check and one
 * conversion: it is parsed on every Entity Tags request (a union of a number and a string
 * schema cost ~0.9 µs more per parse of a string, this nothing measurable).
 */
export const WorkspaceId = z
  .custom<number | string>(isWorkspaceId, {
    error: (issue) =>
      issue.input === undefined
        ? 'required: a workspace id (a positive integer; on REST in the query string)'
        : 'expected a workspace id: a positive integer in decimal (1, 2, …), given once',
  })
  // Described as the integer it is (a custom check has no JSON schema of its own).
  .meta({
    // (zod-openapi's `override`: called with the rendered JSON schema, which it may change.)
    override: ({ jsonSchema }: { jsonSchema: Record<string, unknown> }) => {
      Object.assign(jsonSchema, { type: 'integer', exclusiveMinimum: 0, maximum: maxWorkspaceId });
    },
  })
  .transform(Number);
