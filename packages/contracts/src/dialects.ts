import { z } from 'zod';
import { SessionId, TagId, WorkspaceId } from './ids.ts';
import { tagNameSchema } from './tag-name.ts';
import { TagDescription, TagName, TagOrder, TagType } from './tags.ts';
import { Text } from './text.ts';

// ---- Zapini API v1 (document 002) -------------------------------------------------------

const HexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, { message: 'The color must be a hex color code (#RRGGBB).' });
const ZapiniName = tagNameSchema(50, 'The name may not be greater than 50 characters.');

/** Zapini shows ids as bare UUIDs ("Tag IDs are now UUIDs"); its inputs take both forms. */
const ZapiniUuid = z.string().meta({ description: 'A UUID (the prefixed form is accepted in inputs too)' });

export const ZapiniTag = z.object({
  id: ZapiniUuid,
  name: z.string(),
  color: z.string().nullable(),
  conversations_count: z.number().int(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});
export type ZapiniTag = z.infer<typeof ZapiniTag>;

export const ZapiniTagBrief = z.object({ id: ZapiniUuid, name: z.string(), color: z.string().nullable() });
export type ZapiniTagBrief = z.infer<typeof ZapiniTagBrief>;

/** The documented envelope of every Zapini response. */
const envelope = <T extends z.ZodType>(data: T) =>
  z.object({ success: z.literal(true), message: z.string().optional(), data });

export const ZapiniTagList = envelope(z.object({ tags: z.array(ZapiniTag) }));
export const ZapiniTagOne = envelope(z.object({ tag: ZapiniTag }));
export const ZapiniNoData = envelope(z.null());

/**
 * Zapini is a Laravel API: a body field it does not know is ignored, not refused, so a client may
 * PATCH back the tag it read (`id`, `conversations_count`, … are dropped). Query parameters it
 * does not know (cache busters) are ignored the same way.
 */
export const ZapiniCreateTagInput = z.object({ name: ZapiniName, color: HexColor });
export const ZapiniUpdateTagInput = z.object({
  uuid: TagId,
  name: ZapiniName.optional(),
  /**
   * `null` or `""` clears it; the color Zapini shows for the stored one (`#0000ff` for `blue`,
   * `null` for an `rgba(…)`) changes nothing, so a tag read back can be sent back as is.
   */
  color: z
    .union([z.literal('').transform(() => null), HexColor])
    .nullable()
    .optional(),
});
export const ZapiniTagIdInput = z.object({ uuid: TagId });

export const ZapiniConversationTagsInput = z.object({
  uuid: SessionId,
  tag_ids: z.array(TagId).max(500),
  /**
   * The tag-set version the caller last saw: a stale one is 409 Conflict. (The `If-Match`
   * header does the same the HTTP way: a stale one is 412, `*` matches any conversation.)
   */
  version: Text.max(100).optional(),
});
export type ZapiniConversationTagsInput = z.infer<typeof ZapiniConversationTagsInput>;
export const ZapiniConversationIdInput = z.object({ uuid: SessionId });

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
/**
 * The patches of one request, each tag at most once: two patches of one tag would race for the
 * last word (one silently lost), so a repeat is a 400 that names both indexes (issue 15).
 * Ids are compared in canonical form (`wtag_<uuid>` and the bare UUID are one tag).
 */
const tagPatches = <Item extends z.ZodType<{ id: string }>>(item: Item) =>
  z
    .array(item)
    .min(1)
    .max(1000)
    .superRefine((patches, ctx) => {
      const first = new Map<string, number>();
      patches.forEach((patch, index) => {
        const earlier = first.get(patch.id);
        if (earlier === undefined) first.set(patch.id, index);
        else
          ctx.addIssue({
            code: 'custom',
            path: [index, 'id'],
            message: `patches ${earlier} and ${index} name the same tag ${patch.id}; patch a tag once per request`,
          });
      });
    });
export const BulkPatchTagsInput = z.strictObject({ patches: tagPatches(TagPatchItem) });
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
/**
 * A GraphQL patch item: its schema's `order: Int` is nullable (document 003: optional), so
 * `order: null` is GraphQL's "not given" and keeps the order, as `createTag`'s does.
 */
export const BcrumbsTagPatchItem = TagPatchItem.extend({ order: TagOrder.nullish() });
export const BcrumbsTagBulkPatchInput = z.strictObject({
  workspaceId: WorkspaceId,
  patches: tagPatches(BcrumbsTagPatchItem),
});
