import { z } from 'zod';
import { ContactId, SessionId } from './ids.ts';
import { PageInput } from './pagination.ts';
import { TagFilter } from './tag-filters.ts';
import { isStorableJson, storableJsonMessage, Text } from './text.ts';

/** The most entities one bulk request may carry; more is a 413. */
export const maxBulkEntities = 10_000;

/**
 * A bulk body's list: at least one item; at most `maxBulkEntities`, said in the OpenAPI document
 * (`maxItems`) and enforced by the domain with a 413 (PAYLOAD_TOO_LARGE), as documented, not
 * by the schema (whose refusal would be a 400).
 */
export const bulkItems = <T extends z.ZodType>(item: T) => z.array(item).min(1).meta({ maxItems: maxBulkEntities });

/** A contact's or session's name: white space at either end (tab, line breaks, NBSP, BOM included) is removed before it is checked and stored. */
export const DisplayName = Text.trim().max(200).meta({
  description: 'Stored without white space at either end (tab, CR, LF, NBSP, BOM included); at most 200 characters',
});
/** An id in the caller's own system, unique per workspace; trimmed like `DisplayName`. */
export const ExternalId = Text.trim().min(1).max(255).meta({
  description:
    'Your own id, unique per workspace; stored without white space at either end (tab, CR, LF, NBSP, BOM included); 1-255 characters',
});

const maxMetadataBytes = 16 * 1024;
// TextEncoder, not Node's Buffer: the contracts are bundled into the SDK, which runs in browsers.
const utf8 = new TextEncoder();
/** Free-form JSON object, at most 16 KiB serialized (UTF-8 bytes). */
export const Metadata = z
  .record(z.string(), z.json())
  .refine((value) => utf8.encode(JSON.stringify(value)).byteLength <= maxMetadataBytes, {
    message: `must be at most ${maxMetadataBytes} bytes of JSON`,
  })
  .refine(isStorableJson, { message: storableJsonMessage });

const recordFields = {
  workspaceId: z.number().int(),
  name: z.string(),
  externalId: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
};

export const Contact = z.object({ id: ContactId, ...recordFields });
export type Contact = z.infer<typeof Contact>;

export const Session = z.object({ id: SessionId, contactId: ContactId.nullable(), ...recordFields });
export type Session = z.infer<typeof Session>;

export const CreateContactInput = z.strictObject({
  name: DisplayName.optional(),
  externalId: ExternalId.optional(),
  metadata: Metadata.optional(),
});
export type CreateContactInput = z.infer<typeof CreateContactInput>;

export const UpdateContactInput = z.strictObject({
  id: ContactId,
  name: DisplayName.optional(),
  externalId: ExternalId.nullable().optional(),
  metadata: Metadata.optional(),
});
export type UpdateContactInput = z.infer<typeof UpdateContactInput>;

export const CreateSessionInput = z.strictObject({
  name: DisplayName.optional(),
  contactId: ContactId.nullable().optional(),
  externalId: ExternalId.optional(),
  metadata: Metadata.optional(),
});
export type CreateSessionInput = z.infer<typeof CreateSessionInput>;

/** `contactId` relinks the session; `null` unlinks it. */
export const UpdateSessionInput = z.strictObject({
  id: SessionId,
  name: DisplayName.optional(),
  contactId: ContactId.nullable().optional(),
  externalId: ExternalId.nullable().optional(),
  metadata: Metadata.optional(),
});
export type UpdateSessionInput = z.infer<typeof UpdateSessionInput>;

/** The id of one record; reads ignore query parameters they do not know (cache busters). */
export const ContactIdInput = z.object({ id: ContactId });
export const SessionIdInput = z.object({ id: SessionId });

export const ListContactsInput = PageInput.extend(TagFilter.shape);
export type ListContactsInput = z.infer<typeof ListContactsInput>;

export const ListSessionsInput = PageInput.extend({
  /** Only the sessions linked to this contact. */
  contactId: ContactId.optional(),
  ...TagFilter.shape,
});
export type ListSessionsInput = z.infer<typeof ListSessionsInput>;

/** `total` counts every matching record once, across all pages. */
export const ContactPage = z.object({
  contacts: z.array(Contact),
  nextCursor: z.string().nullable(),
  total: z.number().int(),
});
export type ContactPage = z.infer<typeof ContactPage>;

export const SessionPage = z.object({
  sessions: z.array(Session),
  nextCursor: z.string().nullable(),
  total: z.number().int(),
});
export type SessionPage = z.infer<typeof SessionPage>;

export const DeleteResult = z.object({ success: z.literal(true) });
export type DeleteResult = z.infer<typeof DeleteResult>;

/** One item of a bulk upsert: with `externalId` it updates the record that has it, if any. */
export const ContactUpsertItem = z.strictObject({
  externalId: ExternalId.optional(),
  name: DisplayName.optional(),
  metadata: Metadata.optional(),
});
export type ContactUpsertItem = z.infer<typeof ContactUpsertItem>;

export const SessionUpsertItem = z.strictObject({
  externalId: ExternalId.optional(),
  name: DisplayName.optional(),
  metadata: Metadata.optional(),
  /** Link to a contact by its id, or by its external id; `null` unlinks. */
  contactId: ContactId.nullable().optional(),
  contactExternalId: ExternalId.optional(),
});
export type SessionUpsertItem = z.infer<typeof SessionUpsertItem>;

export const BulkUpsertContactsInput = z.strictObject({ contacts: bulkItems(ContactUpsertItem) });
export type BulkUpsertContactsInput = z.infer<typeof BulkUpsertContactsInput>;

export const BulkUpsertSessionsInput = z.strictObject({ sessions: bulkItems(SessionUpsertItem) });
export type BulkUpsertSessionsInput = z.infer<typeof BulkUpsertSessionsInput>;

export const BulkItemError = z.object({
  /** Position of the item in the request. */
  index: z.number().int(),
  code: z.enum(['NOT_FOUND', 'CONFLICT', 'VALIDATION_ERROR']),
  message: z.string(),
});
export type BulkItemError = z.infer<typeof BulkItemError>;

export const BulkUpsertResult = z.object({
  success: z.literal(true),
  created: z.number().int(),
  updated: z.number().int(),
  /** The id of every applied item, in request order (`null` where the item failed). */
  ids: z.array(z.string().nullable()),
  errors: z.array(BulkItemError),
});
export type BulkUpsertResult = z.infer<typeof BulkUpsertResult>;
