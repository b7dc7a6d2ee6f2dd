import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { initTRPC } from '@trpc/server';
import { z } from 'zod';
import { expect, it } from 'vitest';

/**
 * Our patch of @trpc/server 11.25 (patches/@trpc__server@11.25.2.patch, docs/PERFORMANCE.md):
 * its object-spread helper, run several times per call on options and contexts, is a plain loop
 * with the same result; the middleware chain (`callRecursive`) and the output validator use the
 * native spreads of tRPC's source instead of the helper. These checks pin the helper's result,
 * then what a middleware receives and passes on.
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

it('runs the middleware chain and the output validator with native spreads, not the helper', () => {
  const source = readFileSync(path.join(dist, 'initTRPC-DPoVGUwX.mjs'), 'utf8');
  const chain = source.slice(
    source.indexOf('async function callRecursive'),
    source.indexOf('function createProcedureCaller'),
  );
  const output = source.slice(
    source.indexOf('function createOutputMiddleware'),
    source.indexOf('outputMiddleware._type'),
  );
  expect(chain).toContain('...opts');
  expect(chain).not.toContain('_objectSpread2');
  expect(output).toContain('{ ...result, data }');
  expect(output).not.toContain('_objectSpread2');
});

it('gives each middleware the call, its meta, the input and the context, and lets it replace them', async () => {
  const t = initTRPC.context<{ a: number }>().meta<{ name: string }>().create();
  const seen: Record<string, unknown>[] = [];
  const procedure = t.procedure
    .meta({ name: 'm' })
    .use(async ({ next, ...rest }) => {
      seen.push({ ...rest, rawInput: await rest.getRawInput() });
      return next({ input: { x: 2 }, ctx: { b: 1 } });
    })
    .use(async ({ next, ...rest }) => {
      seen.push({ ...rest, rawInput: await rest.getRawInput() });
      return next({ getRawInput: async () => ({ x: 3 }) });
    })
    .use(async ({ next, ...rest }) => {
      seen.push({ ...rest, rawInput: await rest.getRawInput() });
      return next();
    })
    .output(z.object({ x: z.number() }))
    .query(({ input }) => ({ x: (input as unknown as { x: number }).x, dropped: true }));
  const caller = t.createCallerFactory(t.router({ procedure }))({ a: 1 });
  // The output validator's result replaces the data (Zod drops the unknown key).
  expect(await caller.procedure({ x: 1 } as never)).toEqual({ x: 2 });
  expect(seen[0]).toMatchObject({
    type: 'query',
    path: 'procedure',
    meta: { name: 'm' },
    ctx: { a: 1 },
    rawInput: { x: 1 },
  });
  expect(seen[1]).toMatchObject({ input: { x: 2 }, ctx: { a: 1, b: 1 }, rawInput: { x: 1 }, meta: { name: 'm' } });
  expect(seen[2]).toMatchObject({ input: { x: 2 }, ctx: { a: 1, b: 1 }, rawInput: { x: 3 } });
});

it('keeps a context getter a middleware passes on (spread reads it, as the helper did)', async () => {
  const t = initTRPC.context<{ a: number }>().create();
  let reads = 0;
  const procedure = t.procedure
    .use(({ next }) =>
      next({
        ctx: {
          get lazy() {
            return ++reads;
          },
        },
      }),
    )
    .query(({ ctx }) => [ctx.lazy, ctx.lazy]);
  const caller = t.createCallerFactory(t.router({ procedure }))({ a: 1 });
  expect(await caller.procedure()).toEqual([1, 1]);
});
