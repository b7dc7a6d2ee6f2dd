import { z } from 'zod';
import { TagId } from './ids.ts';

const maxFilterTags = 100;

/** Each id once, in first-seen order: a list names a tag once however often it repeats it. */
const distinct = (ids: readonly string[]): string[] => [...new Set(ids)];

/**
 * `a,b,c` (as the document's query string has it): distinct tag ids, at most 100. Ids are made
 * canonical before they are made distinct, so `wtag_<uuid>` and the bare UUID are one tag.
 */
const TagIdList = z
  // `tag_ids=a&tag_ids=b` (how qs-style clients send arrays) means `tag_ids=a,b`.
  .preprocess((value) => (Array.isArray(value) ? value.join(',') : value), z.string())
  .pipe(z.string().max(maxFilterTags * 300))
  .transform((value) =>
    value
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id.length > 0),
  )
  .pipe(z.array(TagId).max(maxFilterTags))
  .transform(distinct);

/**
 * Tag filters of contact and session lists and of exports: `tag_ids` with `tag_match=any` (the
 * document's ANY match, the default) or `all`, and `exclude_tag_ids` (has none of these).
 */
export const TagFilter = z.object({
  tag_ids: TagIdList.optional(),
  tag_match: z.enum(['any', 'all']).optional(),
  exclude_tag_ids: TagIdList.optional(),
});
export type TagFilter = z.infer<typeof TagFilter>;

/** The same filter in a JSON body (exports): arrays instead of comma lists. */
export const TagFilterBody = z.strictObject({
  tagIds: z.array(TagId).max(maxFilterTags).transform(distinct).optional(),
  tagMatch: z.enum(['any', 'all']).optional(),
  excludeTagIds: z.array(TagId).max(maxFilterTags).transform(distinct).optional(),
});
export type TagFilterBody = z.infer<typeof TagFilterBody>;

/** What the domain works with, whichever way the filter came in. */
export type TagCriteria = { tagIds: string[]; match: 'any' | 'all'; excludeTagIds: string[] };

export const criteriaOfQuery = (filter: TagFilter): TagCriteria => ({
  tagIds: distinct(filter.tag_ids ?? []),
  match: filter.tag_match ?? 'any',
  excludeTagIds: distinct(filter.exclude_tag_ids ?? []),
});

export const criteriaOfBody = (filter: TagFilterBody): TagCriteria => ({
  tagIds: distinct(filter.tagIds ?? []),
  match: filter.tagMatch ?? 'any',
  excludeTagIds: distinct(filter.excludeTagIds ?? []),
});
