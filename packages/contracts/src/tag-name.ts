import { Text } from './text.ts';

// What a tag name is and when two names are the same: the one place that decides it. Every
// dialect's schema, the domain's uniqueness check and the name search use these functions, so
// the application and PostgreSQL never disagree (the database stores the key; it never
// computes one). See docs/DECISIONS.md, "Tag names: one normal form and one comparison key".

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
const pictographic = /\p{Extended_Pictographic}/u;
const ignorable = /\p{Default_Ignorable_Code_Point}/gu;
/** Inside an emoji: everything ignorable except the joiner and tag characters that build the sequence. */
const ignorableInEmoji = /(?![\u200D\u{E0020}-\u{E007F}])\p{Default_Ignorable_Code_Point}/gu;

/** The stored form of a name: trimmed, then NFC (canonical composition), otherwise as typed. */
export const normalizeTagName = (name: string): string => name.trim().normalize('NFC');

/** User-perceived characters (extended grapheme clusters) of a string. */
export const graphemeCount = (text: string): number => {
  let count = 0;
  for (const _ of graphemes.segment(text)) count++;
  return count;
};

/**
 * The comparison key of a tag name: two names are the same tag (uniqueness, per workspace and
 * type) exactly when their keys are equal, and the name search matches on a key prefix. An
 * approximation of Unicode's NFKC_Casefold, written out because JavaScript has no case fold:
 *
 * 1. NFKC: compatibility forms fold (`ＶＩＰ` → `VIP`, `ﬁ` → `fi`).
 * 2. Full case folding as upper-then-lower case (`ß` → `ss`, `İ` → `i̇`), then final sigma
 *    `ς` → `σ` (lower-casing keeps `ς` at the end of a word; folding does not).
 * 3. Default-ignorable code points go (zero-width space and joiners, soft hyphen, variation
 *    selectors, word joiner, BOM), except inside an emoji grapheme, where the zero-width joiner
 *    and tag characters are part of the emoji (👨‍👩‍👧 stays distinct from 👨👩👧, a Scottish
 *    flag from an English one); variation selectors go there too (❤ and ❤️ are one heart).
 * 4. NFKC again, since folding and removal can leave a string unnormalized, and trimmed again
 *    (`VIP` + space + zero-width space is `VIP`).
 *
 * Defined on any string (the name is normalized first), so a raw search term keys the same way.
 * Pure and locale-independent; the result depends only on the Unicode version of the runtime.
 */
export function tagNameKey(name: string): string {
  const folded = normalizeTagName(name)
    .normalize('NFKC')
    .toUpperCase()
    .toLowerCase()
    .replaceAll('ς', 'σ')
    .normalize('NFKC');
  let key = '';
  for (const { segment } of graphemes.segment(folded))
    key += segment.replace(pictographic.test(segment) ? ignorableInEmoji : ignorable, '');
  return key.normalize('NFKC').trim();
}

/** True when two names are the same tag name. */
export const sameTagName = (a: string, b: string): boolean => tagNameKey(a) === tagNameKey(b);

/**
 * A tag name input: trimmed and NFC-normalized, then 1 to `max` user-perceived characters, with
 * at least one visible character (a name of invisible characters only has an empty key). The
 * 16-code-units-per-character bound only stops absurd input before it is segmented.
 */
export function tagNameSchema(max: number, tooLong = `must be at most ${max} characters`) {
  return Text.max(max * 16, { message: tooLong })
    .overwrite(normalizeTagName)
    .min(1)
    .refine((name) => graphemeCount(name) <= max, { message: tooLong, abort: true })
    .refine((name) => tagNameKey(name).length > 0, { message: 'must contain a visible character' })
    .meta({
      description: `1–${max} user-perceived characters, counted after trimming and NFC normalization; unique per workspace and type ignoring case, compatibility forms and invisible characters`,
    });
}
