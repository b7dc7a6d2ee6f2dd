import { converter, formatHex, inGamut, parse } from 'culori';

const toRgb = converter('rgb');
const inSrgb = inGamut('rgb');
const hexPattern = /^#[0-9a-fA-F]{6}$/;

/**
 * A tag color as document 002 promises it, `#RRGGBB`, whichever dialect stored it: `#RRGGBB`
 * as is; every other opaque CSS color inside sRGB (names, `#f00`, `rgb(…)`, `hsl(…)`, …)
 * converted; anything with transparency, outside sRGB or not a CSS color at all (a free-form
 * "color identifier" of document 001) is `null`, never a value a Zapini client cannot paint.
 */
export function zapiniColor(color: string | null): string | null {
  if (color === null || hexPattern.test(color)) return color;
  const parsed = parse(color);
  if (parsed === undefined || (parsed.alpha !== undefined && parsed.alpha < 1) || !inSrgb(parsed)) return null;
  return formatHex(toRgb(parsed));
}
