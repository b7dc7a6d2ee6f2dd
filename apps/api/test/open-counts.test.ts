import { describe, expect, it } from 'vitest';
import { OpenCounts } from '../src/http/open-counts.ts';

/**
 * The per-key cap behind connections per client and export downloads per workspace: a place
 * given back twice (a socket's `close` and a stream's `finished` can both report one end) must
 * free one place, never two.
 */
describe('OpenCounts', () => {
  it('caps each key on its own and frees a place once however often it is given back', () => {
    const open = new OpenCounts<string>();
    const first = open.tryOpen('a', 2);
    const second = open.tryOpen('a', 2);
    expect(first).toBeTypeOf('function');
    expect(second).toBeTypeOf('function');
    expect(open.tryOpen('a', 2)).toBeUndefined();
    expect(open.tryOpen('b', 2)).toBeTypeOf('function');
    first?.();
    first?.();
    const third = open.tryOpen('a', 2);
    expect(third).toBeTypeOf('function');
    expect(open.tryOpen('a', 2)).toBeUndefined();
    second?.();
    third?.();
    expect(open.tryOpen('a', 1)).toBeTypeOf('function');
    expect(open.tryOpen('a', 1)).toBeUndefined();
  });
});
