import { writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { generateRestTypes, restTypesPath } from './rest-types-source.ts';
import { generateRouterTypes, routerTypesPath } from './router-types-source.ts';

// `pnpm --filter @tagging/client generate`: rewrites the committed REST types and tRPC router
// type after an API change.
for (const [path, generate] of [
  [restTypesPath, generateRestTypes],
  [routerTypesPath, generateRouterTypes],
] as const) {
  await writeFile(path, await generate());
  console.log(`wrote ${relative(process.cwd(), path)}`);
}
