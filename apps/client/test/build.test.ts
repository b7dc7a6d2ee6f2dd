import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const clientDir = fileURLToPath(new URL('..', import.meta.url));
let outDir: string;

// The same compiler and settings as `pnpm --filter @tagging/client build`, into a scratch directory.
beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'tagging-client-build-'));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  await run(process.execPath, [tsc, '-p', join(clientDir, 'tsconfig.build.json'), '--outDir', outDir]);
}, 120_000);
afterAll(() => rm(outDir, { recursive: true, force: true }));

const filesEndingWith = async (suffix: string) =>
  (await readdir(outDir, { recursive: true })).filter((file) => file.endsWith(suffix));

/** Every module a built file imports or re-exports (static and dynamic). */
const importedModules = (source: string) =>
  [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g)].map((match) => match[1] ?? '');

describe('the built SDK', () => {
  it('emits JavaScript and declarations for the entry point', async () => {
    expect(await filesEndingWith('.js')).toContain('index.js');
    expect(await filesEndingWith('.d.ts')).toContain('index.d.ts');
  });

  it('ships no server code: the JavaScript imports neither @tagging/api nor @tagging/domain', async () => {
    const imported = new Set<string>();
    for (const file of await filesEndingWith('.js'))
      for (const module of importedModules(await readFile(join(outDir, file), 'utf8'))) imported.add(module);
    const packages = [...imported].filter((module) => !module.startsWith('.')).sort();
    expect(packages).toEqual(['@tagging/contracts', '@trpc/client', 'openapi-fetch', 'zod']);
  });

  it('keeps the router type in the declarations, as a type-only import', async () => {
    const declarations = await readFile(join(outDir, 'trpc-client.d.ts'), 'utf8');
    expect(declarations).toContain("import type { AppRouter } from '@tagging/api/router';");
  });
});
