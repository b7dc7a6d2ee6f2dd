import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { initTRPC } from '@trpc/server';
import { expect, it } from 'vitest';

/**
 * Our patch of @trpc/server 11.25 (patches/@trpc__server@11.25.2.patch, docs/PERFORMANCE.md):
 * its object-spread helper, run several times per call on options and contexts, is a plain loop
 * with the same result. These checks pin that result, then a procedure's context merging.
 */
type Spread = (target: object, ...sources: unknown[]) => Record<PropertyKey, unknown>;
const dist = path.dirname(createRequire(import.meta.url).resolve('@trpc/server'));
const chunk = (await import(pathToFileURL(path.join(dist, 'getErrorShape-B5jPKHJ3.mjs')).href)) as { n: Spread };
const spread = chunk.n;

it('is the patched helper', () => {
  expect(spread.toString()).toContain('Patched (tagging service, issue 20)');
});

it('copies own enumerable keys by value, later arguments winning, in order', () => {
  const source = Object.create({ inherited: 1 }) as Record<string, unknown>;
  source.b = 2;
  source.a = 1;
  Object.defineProperty(source, 'hidden', { value: 3, enumerable: false });
  const merged = spread({}, source, {}, { a: 10, c: 3 });
  expect(merged).toEqual({ b: 2, a: 10, c: 3 });
  expect(Object.keys(merged)).toEqual(['b', 'a', 'c']);
  expect('inherited' in merged).toBe(false);
});

it('copies symbols, reads getters of odd arguments and keeps getters of even ones', () => {
  const symbol = Symbol('s');
  let reads = 0;
  const odd = {
    [symbol]: 'sym',
    get value() {
      return ++reads;
    },
  };
  const even = {
    get live() {
      return 'getter';
    },
  };
  const merged = spread({}, odd, even);
  expect(merged[symbol]).toBe('sym');
  expect(Object.getOwnPropertyDescriptor(merged, 'value')).toMatchObject({ value: 1, writable: true });
  expect(Object.getOwnPropertyDescriptor(merged, 'live')?.get).toBeTypeOf('function');
});

it('redefines, without throwing or calling it, an accessor an even argument brought', () => {
  const even = {
    get fixed() {
      return 'getter';
    },
  };
  const merged = spread({}, {}, even, { fixed: 'value' });
  expect(Object.getOwnPropertyDescriptor(merged, 'fixed')).toMatchObject({ value: 'value', writable: true });
});

it('defines keys a plain object inherits (toString, __proto__) as own data, never as the prototype', () => {
  const parsed = JSON.parse('{"__proto__": {"polluted": true}, "toString": "x"}') as object;
  const merged = spread({}, parsed);
  expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
  expect(Object.prototype.hasOwnProperty.call(merged, '__proto__')).toBe(true);
  expect(merged.toString).toBe('x');
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

it('merges what each middleware adds into the context of the next', async () => {
  const t = initTRPC.context<{ a: number; b: number }>().create();
  const procedure = t.procedure
    .use(({ next }) => next({ ctx: { b: 2, c: 3 } }))
    .use(({ ctx, next }) => next({ ctx: { d: ctx.a + ctx.b + ctx.c } }))
    .query(({ ctx }) => ctx);
  const caller = t.createCallerFactory(t.router({ procedure }))({ a: 1, b: 0 });
  expect(await caller.procedure()).toEqual({ a: 1, b: 2, c: 3, d: 6 });
});
