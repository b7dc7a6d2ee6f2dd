import { describe, expect, it } from 'vitest';
import { TagId } from '@tagging/contracts';
import { newId, uuidv7 } from '../src/ids.ts';

describe('ids', () => {
  it('are prefixed UUIDv7s that the contracts accept', () => {
    const id = newId('wtag');
    expect(TagId.safeParse(id).success).toBe(true);
    expect(id.slice(5, 5 + 36)[14]).toBe('7');
  });

  it('sort by creation time', () => {
    const earlier = uuidv7(1_700_000_000_000);
    const later = uuidv7(1_700_000_000_001);
    expect(earlier < later).toBe(true);
  });

  it('increase strictly within one millisecond', () => {
    const ids = Array.from({ length: 5000 }, () => uuidv7(1_800_000_000_000));
    expect([...ids].sort()).toEqual(ids);
  });

  it('do not repeat', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => uuidv7(1_700_000_000_000)));
    expect(ids.size).toBe(10_000);
  });
});
