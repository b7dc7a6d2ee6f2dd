import { describe, expect, it } from 'vitest';
import { graphemeCount, normalizeTagName, sameTagName, tagNameKey, tagNameSchema } from '../src/tag-name.ts';

describe('tagNameKey: when two names are the same tag', () => {
  it.each([
    ['Café (precomposed)', 'Café', 'Cafe\u0301'],
    ['full-width', 'VIP', '\uFF36\uFF29\uFF30'],
    ['zero-width space', 'VIP', 'VIP\u200B'],
    ['zero-width joiner in a word', 'VIP', 'V\u200DIP'],
    ['zero-width non-joiner', 'VIP', 'VI\u200CP'],
    ['soft hyphen', 'VIP', 'VIP\u00AD'],
    ['word joiner and BOM', 'VIP', '\u2060VIP\uFEFF'],
    ['case', 'Follow Up', 'fOLLOW uP'],
    ['Greek final sigma', 'ΟΔΟΣ', 'οδος'],
    ['Greek sigma forms', 'οδοσ', 'οδος'],
    ['German sharp s (full folding)', 'Straße', 'STRASSE'],
    ['Turkish dotted capital I', 'İstanbul', 'i\u0307stanbul'],
    ['ligature', 'ﬁle', 'file'],
    ['Kelvin sign', '\u212A', 'k'],
    ['emoji presentation selector', '❤️', '❤'],
  ])('%s: %j and %j are one name', (_, a, b) => {
    expect(tagNameKey(a)).toBe(tagNameKey(b));
    expect(sameTagName(a, b)).toBe(true);
  });

  it.each([
    ['dotted and dotless I', 'İstanbul', 'Istanbul'],
    ['a family and its members', '👨‍👩‍👧', '👨👩👧'],
    ['two tag-sequence flags', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '🏴󠁧󠁢󠁥󠁮󠁧󠁿'],
    ['a flag and its base', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '🏴'],
    ['accent', 'Café', 'Cafe'],
  ])('%s: %j and %j stay apart', (_, a, b) => {
    expect(tagNameKey(a)).not.toBe(tagNameKey(b));
  });

  it('is idempotent and its own key', () => {
    for (const name of ['İSTANBUL', 'ΟΔΟΣ', 'Cafe\u0301', '👨‍👩‍👧 Family', 'ǅemal', 'ΐ', 'ﬃ'])
      expect(tagNameKey(tagNameKey(name))).toBe(tagNameKey(name));
  });
});

describe('normalizeTagName and the name schema', () => {
  it('stores the name as typed, trimmed and NFC, emoji sequences intact', () => {
    expect(normalizeTagName('  Cafe\u0301 ')).toBe('Café');
    expect(normalizeTagName('👨‍👩‍👧')).toBe('👨‍👩‍👧');
    expect(normalizeTagName('ＶＩＰ')).toBe('ＶＩＰ');
  });

  it('counts user-perceived characters, whatever the encoding', () => {
    expect(graphemeCount('é'.repeat(60))).toBe(60);
    expect(graphemeCount('e\u0301'.repeat(60))).toBe(60);
    expect(graphemeCount('👨‍👩‍👧🇧🇷')).toBe(2);
    const schema = tagNameSchema(50);
    for (const name of ['é'.repeat(50), 'e\u0301'.repeat(50), '👨‍👩‍👧'.repeat(50)])
      expect(schema.safeParse(name).success, name).toBe(true);
    for (const name of ['é'.repeat(51), 'e\u0301'.repeat(51), '👨‍👩‍👧'.repeat(51)])
      expect(schema.safeParse(name).success, name).toBe(false);
  });

  it('refuses empty names and names of invisible characters only', () => {
    const schema = tagNameSchema(100);
    for (const name of ['', '   ', '\u200B', '\u00AD\u200D', '\uFE0F'])
      expect(schema.safeParse(name).success).toBe(false);
    expect(schema.parse(' Cafe\u0301 ')).toBe('Café');
  });
});
