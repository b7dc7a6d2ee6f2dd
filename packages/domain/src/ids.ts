import { randomBytes } from 'node:crypto';
import type { IdPrefix } from '@tagging/contracts';

/** A UUIDv7 (RFC 9562): 48-bit millisecond timestamp, then random bits, so ids sort by creation. */
export function uuidv7(now = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const newId = (prefix: IdPrefix): string => `${prefix}_${uuidv7()}`;
