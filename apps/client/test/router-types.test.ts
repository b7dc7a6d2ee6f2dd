import { readFile } from 'node:fs/promises';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { AppRouter as ServerRouter } from '@tagging/api/router';
import type { AppRouter as GeneratedRouter } from '../src/generated/trpc-router.ts';
import { generateCommand, generateRouterTypes, routerTypesPath } from '../scripts/router-types-source.ts';

describe('the tRPC client types', () => {
  it('generated router type is current', async () => {
    const committed = await readFile(routerTypesPath, 'utf8');
    const fresh = await generateRouterTypes();
    expect(
      fresh === committed,
      `src/generated/trpc-router.ts is out of date with the API's router: run \`${generateCommand}\``,
    ).toBe(true);
  }, 120_000);

  it('gives every procedure the input and output the server declares', () => {
    // Checked by the compiler (`typecheck`): a procedure added, removed or changed on the server
    // and not regenerated fails here before any test runs.
    expectTypeOf<inferRouterInputs<GeneratedRouter>>().toEqualTypeOf<inferRouterInputs<ServerRouter>>();
    expectTypeOf<inferRouterOutputs<GeneratedRouter>>().toEqualTypeOf<inferRouterOutputs<ServerRouter>>();
  });
});
