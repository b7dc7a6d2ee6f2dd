import { writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { generateRestTypes, restTypesPath } from './rest-types-source.ts';

// `pnpm --filter @tagging/client generate`: rewrites the committed REST types after an API change.
await writeFile(restTypesPath, await generateRestTypes());
console.log(`wrote ${relative(process.cwd(), restTypesPath)}`);
