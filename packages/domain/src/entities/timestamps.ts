import { p } from '@mikro-orm/core';

/** When the row was written: `timestamptz`, set by the database (`now()`). */
export const createdAt = () => p.datetime().columnType('timestamptz').defaultRaw('now()');

/**
 * `createdAt` and `updatedAt`, both set by the database on insert; the statements that change a
 * row set `updated_at` themselves (most writes are raw SQL, where an ORM hook would not run).
 */
export const timestamps = () => ({
  createdAt: createdAt(),
  updatedAt: p.datetime().columnType('timestamptz').defaultRaw('now()'),
});
