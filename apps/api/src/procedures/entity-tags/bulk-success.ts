import type { BulkEntityError, BulkTagInput } from '@tagging/contracts';

/**
 * A bulk response's `success`: false when every entity of the request failed. The domain reports
 * one error per distinct entity (a repeat is counted once), so the request failed whole exactly
 * when there are as many errors as distinct entities.
 */
export function anyEntityApplied(entities: BulkTagInput['entities'], errors: readonly BulkEntityError[]): boolean {
  const distinct = new Set(entities.map((entity) => `${entity.entityType}:${entity.entityId}`));
  return errors.length < distinct.size;
}
