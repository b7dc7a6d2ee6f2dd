import type { IdPrefix } from '@tagging/contracts';

/** SQL expression for a new prefixed UUIDv7 id, for ids minted inside set-based statements. */
export const sqlNewId = (prefix: IdPrefix) => `'${prefix}_' || tagging_uuid_v7()::text`;
