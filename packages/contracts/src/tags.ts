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

/** The most a color may take: document 001 stores it as `VARCHAR(20)`. */
export const maxColorLength = 20;

const cssHex = /^#([0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
const cssFunction = /^(rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\(\s*[-+.0-9a-z%\s,/]*\)$/i;
const cssName = /^[a-z][a-z0-9-]*$/i;

/**
 * True for every CSS color form that fits in 20 characters: hex with 3, 4, 6 or 8 digits, the
 * color functions (`rgb(255,0,0)`, `hsl(…)`, `oklch(…)`, …) and names. Document 001 calls the
 * field a "color identifier": names are not checked against a list, and Zapini, whose document
 * promises `#RRGGBB`, shows what it cannot convert as `null`.
 */
export const isCssColor = (value: string): boolean =>
  cssHex.test(value) || cssFunction.test(value) || cssName.test(value);

/** `""` (or only spaces) in an optional text field means "no value", like `null`. */
const blankIsNull = (value: string): string | null => (value === '' ? null : value);

/** A tag color (trimmed); `""` clears it like `null`. */
export const TagColor = z
  .string()
  .trim()
  .max(maxColorLength)
  .refine((value) => value === '' || isCssColor(value), {
    message: 'must be a CSS color (#RGB, #RRGGBB, rgb(…), a color name, …)',
  })
  .transform(blankIsNull);

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
const emojiPattern = /^(\p{Extended_Pictographic}|\p{Regional_Indicator}|[#*0-9]\uFE0F?\u20E3)/u;

/** One emoji: a single grapheme cluster that starts with a pictographic character; `""` (or spaces) clears it. */
export const TagEmoji = Text.trim()
  .max(32)
  .refine((value) => value === '' || ([...graphemes.segment(value)].length === 1 && emojiPattern.test(value)), {
    message: 'must be a single emoji',
  })
  .transform(blankIsNull);

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
  /** The API key that created the tag; null when none is known (created before keys were recorded, or by the CLI). */
  createdByKeyId: z.string().nullable(),
  /** The API key of the last change to the tag's fields (its creator until it is changed). */
  updatedByKeyId: z.string().nullable(),
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

/** The id of one tag; reads ignore query parameters they do not know (cache busters). */
export const TagIdInput = z.object({ id: TagId });

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
