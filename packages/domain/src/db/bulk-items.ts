import { maxBulkEntities, type BulkItemError } from '@tagging/contracts';
import { DomainError } from '../errors.ts';

export function assertBulkSize(count: number): void {
  if (count > maxBulkEntities)
    throw new DomainError('PAYLOAD_TOO_LARGE', `at most ${maxBulkEntities} entities per request (got ${count})`);
}

/**
 * Indexes of the items to apply: an external id repeated within one request is applied once,
 * at its first occurrence; the repeats are reported as errors.
 */
export function firstOccurrences(
  items: readonly { externalId?: string | undefined }[],
  errors: BulkItemError[],
): number[] {
  const seen = new Map<string, number>();
  const applied: number[] = [];
  items.forEach((item, index) => {
    if (item.externalId === undefined) return applied.push(index);
    const first = seen.get(item.externalId);
    if (first === undefined) {
      seen.set(item.externalId, index);
      return applied.push(index);
    }
    errors.push({ index, code: 'VALIDATION_ERROR', message: `externalId repeats item ${first} of this request` });
  });
  return applied;
}
