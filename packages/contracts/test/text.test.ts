import { describe, expect, it } from 'vitest';
import { cutText, isStorableText, toStorableText } from '../src/text.ts';

describe('text from outside every input', () => {
  it('becomes storable: NUL and unpaired surrogates turn into U+FFFD, the rest is kept', () => {
    expect(toStorableText('a\0b')).toBe('a\uFFFDb');
    expect(toStorableText('x\uD83D')).toBe('x\uFFFD');
    expect(toStorableText('\uDE00y')).toBe('\uFFFDy');
    expect(toStorableText('😀 \\u0000 "ok"')).toBe('😀 \\u0000 "ok"');
    for (const value of ['a\0b', '\uD83D\uD83D\uDE00', '\uDE00\uDE00'])
      expect(isStorableText(toStorableText(value))).toBe(true);
  });

  it('is cut without splitting a surrogate pair', () => {
    const text = `x${'😀'.repeat(10)}`;
    expect(cutText(text, 2)).toBe('x');
    expect(cutText(text, 3)).toBe('x😀');
    expect(cutText(text, 100)).toBe(text);
    for (let n = 1; n <= text.length; n++) expect(isStorableText(cutText(text, n))).toBe(true);
  });
});
