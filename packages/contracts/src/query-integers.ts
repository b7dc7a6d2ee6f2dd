import { z } from 'zod';

/** An integer written as text: decimal digits without sign, leading zero, spaces or exponent. */
const integerText = /^(0|[1-9][0-9]{0,15})$/;

/**
 * Whether `value` is an integer from `min` to `max`: a JSON number (tRPC), or its canonical
 * decimal text (a query string). `0x10`, `1e3`, `1.0`, `+1`, `01`, ` 1` and blank are not,
 * though `Number()` reads each as a number; an array (a parameter given twice) is not either.
 */
export const isIntegerIn = (value: unknown, min: number, max: number): boolean => {
  const number =
    typeof value === 'number' ? value : typeof value === 'string' && integerText.test(value) ? Number(value) : NaN;
  return Number.isInteger(number) && number >= min && number <= max;
};

/**
 * A query-string integer (a page size, a feed cursor) from `min` to `max`, as a number; what
 * `z.coerce.number()` took and read loosely (`0x10` as 16, blank as 0) is a 400 that says what
 * is expected (attack findings, session 8). One check and one conversion, described in the
 * OpenAPI document as the integer it is.
 */
export const queryInteger = (min: number, max: number) =>
  z
    .custom<number | string>((value) => isIntegerIn(value, min, max), {
      error: `expected an integer from ${min} to ${max} in decimal, given once`,
    })
    .meta({
      // (zod-openapi's `override`: called with the rendered JSON schema, which it may change.)
      override: ({ jsonSchema }: { jsonSchema: Record<string, unknown> }) => {
        Object.assign(jsonSchema, { type: 'integer', minimum: min, maximum: max });
      },
    })
    .transform(Number);
