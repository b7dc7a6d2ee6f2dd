import { z } from 'zod';

/** Every id is a prefix and a UUIDv7, e.g. `wtag_0190f5c4-...`; the prefix says what it names. */
export const idPrefixes = {
  tag: 'wtag',
  contact: 'contact',
  session: 'wses',
  entityTag: 'etag',
} as const;

export type IdPrefix = (typeof idPrefixes)[keyof typeof idPrefixes];

const uuidPattern = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

export const prefixedId = (prefix: IdPrefix) =>
  z.string().regex(new RegExp(`^${prefix}_${uuidPattern}$`), { message: `must be an id of the form ${prefix}_<uuid>` });

export const TagId = prefixedId(idPrefixes.tag);
export const ContactId = prefixedId(idPrefixes.contact);
export const SessionId = prefixedId(idPrefixes.session);

/** Workspaces have integer ids; the REST documents pass them as strings, GraphQL as `Int`. */
export const WorkspaceId = z.coerce.number().int().positive().max(2_147_483_647);
