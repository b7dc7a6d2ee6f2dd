import { describe, expect, it } from 'vitest';
import { CreateTagInput, TagColor, TagEmoji, TagName } from '../src/tags.ts';

describe('tag fields', () => {
  it.each(['⭐', '🔥', '👍🏽', '🇧🇷', '👨‍👩‍👧', '1️⃣', '❤️'])('accepts the single emoji %s', (emoji) => {
    expect(TagEmoji.safeParse(emoji).success).toBe(true);
  });

  it.each(['a', '⭐⭐', 'ab', '⭐a', ' ⭐ ⭐'])('rejects %j as an emoji', (emoji) => {
    expect(TagEmoji.safeParse(emoji).success).toBe(false);
  });

  it('trims an emoji like a name, and reads blanks as clearing it', () => {
    expect(TagEmoji.parse(' ⭐ ')).toBe('⭐');
    expect(TagEmoji.parse('  ')).toBeNull();
  });

  it.each([
    '#FF5733',
    '#ff5733',
    'blue',
    'dark-green',
    '#f00',
    '#f00a',
    '#ff000080',
    'rgb(255,0,0)',
    'rgba(255, 0, 0, 0.5)',
    'hsl(120 100% 50%)',
    'oklch(70% 0.1 30)',
  ])('accepts the CSS color %s (document 001: a color identifier of at most 20 characters)', (color) => {
    expect(TagColor.safeParse(color).success).toBe(true);
  });

  it.each(['', '  ', null])('reads %j as no color and no emoji (it clears the field)', (value) => {
    expect(TagColor.nullable().parse(value)).toBeNull();
    expect(TagEmoji.nullable().parse(value === '  ' ? '' : value)).toBeNull();
  });

  it.each(['#FF573', '#GG5733', 'not a color', 'x'.repeat(21), 'rgb(255, 0, 0, 0.5, 1, 2)', 'url(x)'])(
    'rejects the color %j',
    (color) => {
      expect(TagColor.safeParse(color).success).toBe(false);
    },
  );

  it('trims names and bounds them to 1–100 characters', () => {
    expect(TagName.parse('  VIP ')).toBe('VIP');
    expect(TagName.safeParse(' ').success).toBe(false);
    expect(TagName.safeParse('x'.repeat(100)).success).toBe(true);
    expect(TagName.safeParse('x'.repeat(101)).success).toBe(false);
  });

  it('rejects unknown fields on create', () => {
    expect(CreateTagInput.safeParse({ name: 'a', extra: 1 }).success).toBe(false);
  });
});
