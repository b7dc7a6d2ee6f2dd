import { z } from 'zod';
import { TagId } from './ids.ts';
import { PageInput } from './pagination.ts';
import { tagNameSchema } from './tag-name.ts';
import { Text } from './text.ts';

export const tagTypes = ['common', 'client', 'message', 'conversation', 'clientStage', 'convStage'] as const;
export const TagType = z.enum(tagTypes);
export type TagType = z.infer<typeof TagType>;

/** A tag name in documents 000, 001 and 003 (see tag-name.ts for what a name is). */
export const TagName = tagNameSchema(100);

/** `#RRGGBB`, or a short named color such as `blue`. */
export const TagColor = z
  .string()
  .trim()
  .max(20)
  .regex(/^(#[0-9a-fA-F]{6}|[a-zA-Z][a-zA-Z0-9-]*)$/, { message: 'must be #RRGGBB or a color name' });

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
const emojiPattern = /^(\p{Extended_Pictographic}|\p{Regional_Indicator}|[#*0-9]\uFE0F?\u20E3)/u;

/** One emoji: a single grapheme cluster that starts with a pictographic character. */
export const TagEmoji = Text.max(32).refine(
  (value) => [...graphemes.segment(value)].length === 1 && emojiPattern.test(value),
  {
    message: 'must be a single emoji',
  },
);

export const TagDescription = Text.max(1000);
export const TagOrder = z.number().int().min(-2_147_483_648).max(2_147_483_647);

export const Tag = z.object({
  id: TagId,
  workspaceId: z.number().int(),
  name: z.string(),
  color: z.string().nullable(),
  emoji: z.string().nullable(),
  type: TagType,
  order: z.number().int(),
  description: z.string().nullable(),
  contactsCount: z.number().int(),
  sessionsCount: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Tag = z.infer<typeof Tag>;

export const CreateTagInput = z.strictObject({
  name: TagName,
  color: TagColor.nullish(),
  emoji: TagEmoji.nullish(),
  type: TagType.optional(),
  /** Where the tag sorts; new tags go last when it is left out. */
  order: TagOrder.optional(),
  description: TagDescription.nullish(),
});
export type CreateTagInput = z.infer<typeof CreateTagInput>;

/** A partial update: absent fields keep their value, `null` clears an optional one. */
export const TagChanges = z.strictObject({
  name: TagName.optional(),
  color: TagColor.nullable().optional(),
  emoji: TagEmoji.nullable().optional(),
  type: TagType.optional(),
  order: TagOrder.optional(),
  description: TagDescription.nullable().optional(),
});
export type TagChanges = z.infer<typeof TagChanges>;

export const UpdateTagInput = TagChanges.extend({ id: TagId });
export type UpdateTagInput = z.infer<typeof UpdateTagInput>;

export const TagIdInput = z.strictObject({ id: TagId });

export const ListTagsInput = PageInput.extend({
  /** Case-insensitive prefix of the name, for autocomplete. */
  q: Text.trim().max(100).optional(),
  type: TagType.optional(),
});
export type ListTagsInput = z.infer<typeof ListTagsInput>;

export const TagPage = z.object({
  tags: z.array(Tag),
  nextCursor: z.string().nullable(),
});
export type TagPage = z.infer<typeof TagPage>;

export const DeleteTagResult = z.object({
  success: z.literal(true),
  /** Entity tag rows removed with the tag (contacts and sessions, direct and inherited). */
  removedEntityTags: z.number().int(),
});
export type DeleteTagResult = z.infer<typeof DeleteTagResult>;
