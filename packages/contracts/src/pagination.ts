import { z } from 'zod';
import { Text } from './text.ts';

export const maxPageSize = 500;
export const defaultPageSize = 50;

/** `limit` and the opaque keyset `cursor` of every list; strings are accepted for query strings. */
export const PageInput = z.object({
  limit: z.coerce.number().int().min(1).max(maxPageSize).default(defaultPageSize),
  cursor: Text.min(1).max(500).optional(),
});
