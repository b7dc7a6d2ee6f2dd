import { z } from 'zod';

/** A NUL character, or a UTF-16 surrogate without its pair. */
const unstorable = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** `unstorable`, for replacing every match. */
const unstorableEverywhere = new RegExp(unstorable.source, 'g');

const unstorableMessage = 'must not contain NUL characters or unpaired surrogates';

/**
 * Text that comes from outside every input (a webhook receiver's response, a network error's
 * message) made storable: each NUL and unpaired surrogate becomes U+FFFD. PostgreSQL refused the
 * whole statement otherwise: one receiver answering `a\0b` stopped the recording of every
 * outcome recorded with it, and those deliveries were sent again for ever (attack, session 10).
 */
export const toStorableText = (value: string): string => value.replace(unstorableEverywhere, '\uFFFD');

/**
 * The first `maxChars` UTF-16 units of `value`, one fewer when the cut would split a surrogate
 * pair (an emoji cut in half is an unpaired surrogate, which PostgreSQL refuses).
 */
export function cutText(value: string, maxChars: number): string {
  if (value.length <= maxChars) return value;
  const last = value.charCodeAt(maxChars - 1);
  return value.slice(0, last >= 0xd800 && last <= 0xdbff ? maxChars - 1 : maxChars);
}

/** True when PostgreSQL stores the string as given. */
export const isStorableText = (value: string): boolean => !unstorable.test(value);

/**
 * Text of every input: PostgreSQL refuses NUL in `text` and `jsonb` (the driver even reports it
 * as a protocol error), and an unpaired surrogate is not Unicode at all (it would be stored as
 * U+FFFD, silently changing the value). Both are a 400 here instead.
 */
export const Text = z.string().refine(isStorableText, { message: unstorableMessage });

/** True when every key and string of a JSON value is storable text. */
export function isStorableJson(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'string') {
      if (!isStorableText(item)) return false;
    } else if (Array.isArray(item)) pending.push(...item);
    else if (typeof item === 'object' && item !== null)
      for (const [key, child] of Object.entries(item)) {
        if (!isStorableText(key)) return false;
        pending.push(child);
      }
  }
  return true;
}

export const storableJsonMessage = `keys and strings ${unstorableMessage}`;
