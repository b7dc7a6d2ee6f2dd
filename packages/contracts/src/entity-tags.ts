import { z } from 'zod';
import { ContactId, SessionId, TagId, WorkspaceId } from './ids.ts';
import { JobStatus, PropagationJobKind } from './jobs.ts';
import { PageInput } from './pagination.ts';
import { bulkItems } from './records.ts';
import { Text } from './text.ts';

export const entityTypes = ['contact', 'session'] as const;
export const EntityType = z.enum(entityTypes);
export type EntityType = z.infer<typeof EntityType>;

export const sourceTypes = ['direct', 'inherited'] as const;
export const SourceType = z.enum(sourceTypes);
export type SourceType = z.infer<typeof SourceType>;

/**
 * Every Entity Tags route carries `workspaceId` in its query string (the document's
 * convention); it must be the API key's workspace.
 */
const workspaceScoped = { workspaceId: WorkspaceId.meta({ description: 'The workspace ID (must be the API key’s)' }) };

/** The documented entity tag object. */
export const EntityTag = z.object({
  id: z.string(),
  entityType: EntityType,
  entityId: z.string(),
  tagId: TagId,
  sourceType: SourceType,
  sourceEntityType: EntityType.nullable(),
  sourceEntityId: z.string().nullable(),
  /**
   * The API key that applied the tag to this entity; null for a tag a session inherits from its
   * contact (the contact's row says who) and for rows from before keys were recorded.
   */
  appliedByKeyId: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type EntityTag = z.infer<typeof EntityTag>;

/** How to follow a propagation that continues in the background. */
export const DeferredPropagation = z.object({
  jobId: z.string(),
  status: JobStatus,
  /** Sessions still to go, as known when the job was queued. */
  sessions: z.number().int(),
  statusUrl: z.string(),
});
export type DeferredPropagation = z.infer<typeof DeferredPropagation>;

export const TagContactInput = z.strictObject({ ...workspaceScoped, contactId: ContactId, tagId: TagId });
export type TagContactInput = z.infer<typeof TagContactInput>;

export const TagContactResult = z.object({
  success: z.literal(true),
  contactTag: EntityTag,
  /** Sessions that gained the tag (inherited) in this request. */
  propagatedToSessions: z.number().int(),
  /** Present when the contact has more sessions than the synchronous limit. */
  deferred: DeferredPropagation.optional(),
});
export type TagContactResult = z.infer<typeof TagContactResult>;

// A JSON boolean, or the strings "true"/"false" (query strings, form-minded clients).
const Flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);

export const TagSessionInput = z.strictObject({
  ...workspaceScoped,
  sessionId: SessionId,
  tagId: TagId,
  propagateToContact: Flag.optional(),
});
export type TagSessionInput = z.infer<typeof TagSessionInput>;

export const TagSessionResult = z.object({
  success: z.literal(true),
  sessionTag: EntityTag,
  propagatedToContact: z.boolean(),
  propagatedToSessions: z.number().int().optional(),
  deferred: DeferredPropagation.optional(),
});
export type TagSessionResult = z.infer<typeof TagSessionResult>;

export const ContactTagsInput = z.object({ ...workspaceScoped, contactId: ContactId });
export const SessionTagsInput = z.object({ ...workspaceScoped, sessionId: SessionId });

/** An entity's tag as the read routes show it: the row and the tag it applies. */
export const AppliedTag = z.object({
  id: z.string(),
  tag: z.object({ id: TagId, name: z.string(), color: z.string().nullable(), emoji: z.string().nullable() }),
  sourceType: SourceType,
  sourceEntityType: EntityType.optional(),
  sourceEntityId: z.string().optional(),
  /** Who applied it (see `EntityTag.appliedByKeyId`). */
  appliedByKeyId: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type AppliedTag = z.infer<typeof AppliedTag>;

export const AppliedTags = z.object({ tags: z.array(AppliedTag) });
export type AppliedTags = z.infer<typeof AppliedTags>;

export const UntagContactInput = z.strictObject({ ...workspaceScoped, contactId: ContactId, tagId: TagId });
export type UntagContactInput = z.infer<typeof UntagContactInput>;
export const UntagContactResult = z.object({
  success: z.literal(true),
  removedFromSessions: z.number().int(),
  deferred: DeferredPropagation.optional(),
});
export type UntagContactResult = z.infer<typeof UntagContactResult>;

export const UntagSessionInput = z.strictObject({ ...workspaceScoped, sessionId: SessionId, tagId: TagId });
export type UntagSessionInput = z.infer<typeof UntagSessionInput>;
export const UntagSessionResult = z.object({ success: z.literal(true) });

export const SyncSessionTagsInput = z.strictObject({ ...workspaceScoped, sessionId: SessionId });
export const SyncSessionTagsResult = z.object({
  success: z.literal(true),
  addedTags: z.number().int(),
  removedTags: z.number().int(),
});
export type SyncSessionTagsResult = z.infer<typeof SyncSessionTagsResult>;

export const TagEntitiesInput = PageInput.extend({
  ...workspaceScoped,
  tagId: TagId,
  entityType: EntityType.optional(),
  sourceType: SourceType.optional(),
});
export type TagEntitiesInput = z.infer<typeof TagEntitiesInput>;

export const TaggedEntity = z.object({
  entityType: EntityType,
  entityId: z.string(),
  sourceType: SourceType,
  sourceEntityType: EntityType.optional(),
  sourceEntityId: z.string().optional(),
  /** Who applied it (see `EntityTag.appliedByKeyId`). */
  appliedByKeyId: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export const TagEntitiesResult = z.object({ entities: z.array(TaggedEntity), nextCursor: z.string().nullable() });
export type TagEntitiesResult = z.infer<typeof TagEntitiesResult>;

/**
 * One entity of a bulk request. A structurally wrong item (an entity type other than `contact`
 * or `session`, an id that is not a string) rejects the whole request with 400 (document 000's
 * error table: "invalid entity type"); an id that names no record of the workspace, whatever its
 * shape, is reported per entity as `NOT_FOUND` while the rest is applied.
 */
export const BulkEntity = z.discriminatedUnion('entityType', [
  z.strictObject({ entityType: z.literal('contact'), entityId: ContactId }),
  z.strictObject({ entityType: z.literal('session'), entityId: SessionId }),
]);
export const BulkTagInput = z.strictObject({ ...workspaceScoped, tagId: TagId, entities: bulkItems(BulkEntity) });
export type BulkTagInput = z.infer<typeof BulkTagInput>;

export const BulkEntityError = z.object({
  index: z.number().int(),
  entityType: z.string(),
  entityId: z.string(),
  code: z.enum(['NOT_FOUND', 'VALIDATION_ERROR', 'CONFLICT']),
  message: z.string(),
});
export type BulkEntityError = z.infer<typeof BulkEntityError>;

/** `success` is false when no entity of the request could be applied (every one is in `errors`). */
export const BulkTagResult = z.object({
  success: z.boolean(),
  /** Entities that now have the tag directly and did not before. */
  tagged: z.number().int(),
  /** Entities that already had it directly. */
  skipped: z.number().int(),
  /** Sessions that inherited it from tagged contacts. */
  propagatedToSessions: z.number().int(),
  errors: z.array(BulkEntityError),
});
export type BulkTagResult = z.infer<typeof BulkTagResult>;

export const BulkUntagResult = z.object({
  success: z.boolean(),
  untagged: z.number().int(),
  /** Entities that did not have the tag directly. */
  skipped: z.number().int(),
  removedFromSessions: z.number().int(),
  errors: z.array(BulkEntityError),
});
export type BulkUntagResult = z.infer<typeof BulkUntagResult>;

export const PropagationJobInput = z.object({ ...workspaceScoped, jobId: Text.min(1).max(255) });
export const PropagationJob = z.object({
  id: z.string(),
  kind: PropagationJobKind,
  /** The contact whose sessions the job goes through; null for a `merge-tags` job. */
  contactId: ContactId.nullable(),
  /** The tag propagated, or for `merge-tags` the target tag. */
  tagId: z.string(),
  /** `merge-tags` only: the tags merged into the target (deleted when the job is done). */
  sourceTagIds: z.array(z.string()).optional(),
  status: JobStatus,
  processedSessions: z.number().int(),
  totalSessions: z.number().int(),
  error: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type PropagationJob = z.infer<typeof PropagationJob>;
