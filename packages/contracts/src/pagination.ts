import { z } from 'zod';
import { queryInteger } from './query-integers.ts';
import { Text } from './text.ts';

export const maxPageSize = 500;
export const defaultPageSize = 50;

/** `limit` and the opaque keyset `cursor` of every list; a query string's decimal text is accepted (`queryInteger`). */
export const PageInput = z.object({
  limit: queryInteger(1, maxPageSize).default(defaultPageSize),
  cursor: Text.min(1).max(500).optional(),
});
