import { z } from 'zod';
import { SessionId, TagId, WorkspaceId } from './ids.ts';
import { tagNameSchema } from './tag-name.ts';
import { TagDescription, TagName, TagOrder, TagType } from './tags.ts';
import { Text } from './text.ts';

// ---- Zapini API v1 (document 002) -------------------------------------------------------

const HexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, { message: 'The color must be a hex color code (#RRGGBB).' });
const ZapiniName = tagNameSchema(50, 'The name may not be greater than 50 characters.');

export const ZapiniTag = z.object({
  id: TagId,
  name: z.string(),
  color: z.string().nullable(),
  conversations_count: z.number().int(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});
export type ZapiniTag = z.infer<typeof ZapiniTag>;

export const ZapiniTagBrief = z.object({ id: TagId, name: z.string(), color: z.string().nullable() });
export type ZapiniTagBrief = z.infer<typeof ZapiniTagBrief>;

/** The documented envelope of every Zapini response. */
const envelope = <T extends z.ZodType>(data: T) =>
  z.object({ success: z.literal(true), message: z.string().optional(), data });

export const ZapiniTagList = envelope(z.object({ tags: z.array(ZapiniTag) }));
export const ZapiniTagOne = envelope(z.object({ tag: ZapiniTag }));
export const ZapiniNoData = envelope(z.null());

export const ZapiniCreateTagInput = z.strictObject({ name: ZapiniName, color: HexColor });
export const ZapiniUpdateTagInput = z.strictObject({
  uuid: TagId,
  name: ZapiniName.optional(),
  color: HexColor.optional(),
});
export const ZapiniTagIdInput = z.strictObject({ uuid: TagId });

export const ZapiniConversationTagsInput = z.strictObject({
  uuid: SessionId,
  tag_ids: z.array(TagId).max(500),
  /** The tag-set version the caller last saw; also accepted as the `If-Match` header. */
  version: Text.max(100).optional(),
});
export type ZapiniConversationTagsInput = z.infer<typeof ZapiniConversationTagsInput>;
export const ZapiniConversationIdInput = z.strictObject({ uuid: SessionId });

export const ZapiniConversationTags = envelope(
  z.object({
    /** The conversation's own tags, as replaced. */
    tags: z.array(ZapiniTagBrief),
    /** Tags it inherits from its contact (not changed by this route). */
    inherited_tags: z.array(ZapiniTagBrief),
    /** The version of the direct tag set, for `If-Match` on the next replace. */
    version: z.string(),
  }),
);
export type ZapiniConversationTags = z.infer<typeof ZapiniConversationTags>;

// ---- Tag bulk patch (document 003, also ours) -------------------------------------------

export const TagPatchItem = z.strictObject({
  id: TagId,
  order: TagOrder.optional(),
  description: TagDescription.nullable().optional(),
});
export const BulkPatchTagsInput = z.strictObject({ patches: z.array(TagPatchItem).min(1).max(1000) });
export type BulkPatchTagsInput = z.infer<typeof BulkPatchTagsInput>;
export const BulkPatchTagsResult = z.object({ success: z.literal(true), patched: z.number().int() });

// ---- bcrumbs GraphQL (document 003) -----------------------------------------------------

export const BcrumbsTagsInput = z.strictObject({
  workspaceId: WorkspaceId,
  tag: Text.max(100).nullish(),
  type: TagType.nullish(),
});
export const BcrumbsTagCreateInput = z.strictObject({
  workspaceId: WorkspaceId,
  type: TagType,
  tag: TagName,
  order: TagOrder.nullish(),
  description: TagDescription.nullish(),
});
export const BcrumbsTagBulkPatchInput = z.strictObject({
  workspaceId: WorkspaceId,
  patches: z.array(TagPatchItem).min(1).max(1000),
});
