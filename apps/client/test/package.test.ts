import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, readdir, realpath, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@tagging/api/testing';

// The SDK as a consumer outside this repository gets it: `pnpm pack` (which builds it), the
// tarball installed by npm into a fresh project in the system's temporary directory (its
// dependencies from the registry), a sample typechecked with `tsc --strict --module nodenext`
// and nothing else, then run on Node 20 against a real server.

const run = promisify(execFile);
const clientDir = fileURLToPath(new URL('..', import.meta.url));
const sampleDir = fileURLToPath(new URL('package-consumer/', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const require = createRequire(import.meta.url);

/** The packages the built SDK may import: its declared dependencies, nothing of the workspace or of Node. */
const dependencies = ['@trpc/client', '@trpc/server', 'eventsource', 'openapi-fetch', 'zod'];

/** The first `node` on PATH that is Node 20 (the oldest the SDK supports), as `which -a node` lists them. */
async function findNode20(): Promise<string> {
  for (const dir of [...(process.env['PATH'] ?? '').split(delimiter), '/usr/bin', '/usr/local/bin']) {
    const candidate = join(dir, 'node');
    const version = await run(candidate, ['--version']).then(
      ({ stdout }) => stdout.trim(),
      () => '',
    );
    if (version.startsWith('v20.')) return candidate;
  }
  throw new Error('no Node 20 on PATH: the SDK test runs its sample on the oldest supported Node');
}

let project: string;
let tarballDir: string;
let tarball: string;
let node20: string;
/** What npm printed installing the tarball on Node 20. */
let installOutput = '';
let server: TestServer;

/** The packed SDK from CommonJS. */
const commonJsSample = `const sdk = require('@tagging/client');
const client = sdk.createTaggingClient({ baseUrl: process.env.BASE_URL, apiKey: process.env.API_KEY });
client.tags.list.query({ limit: 1 }).then(
  (page) => console.log(JSON.stringify({ exports: Object.keys(sdk).sort(), tags: page.tags.length })),
  (error) => { console.error(sdk.TaggingApiError.from(error).message); process.exit(1); },
);
`;

/** Every module a file imports, re-exports or requires (static and dynamic). */
const importedModules = (source: string) =>
  [...source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g)].map(
    (match) => match[1] ?? '',
  );

const installed = (file: string) => readFile(join(project, 'node_modules/@tagging/client', file), 'utf8');

beforeAll(async () => {
  node20 = await findNode20();
  // npm as the Node 20 installation ships it.
  const npm = await realpath(join(dirname(node20), 'npm'));
  tarballDir = await mkdtemp(join(tmpdir(), 'tagging-sdk-pack-'));
  project = await mkdtemp(join(tmpdir(), 'tagging-sdk-consumer-'));
  const pnpm = process.env['npm_execpath'] ?? 'pnpm';
  await run(pnpm, ['pack', '--pack-destination', tarballDir], { cwd: clientDir });
  const [packed] = await readdir(tarballDir);
  if (!packed) throw new Error('pnpm pack wrote no tarball');
  tarball = join(tarballDir, packed);
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'sdk-consumer', private: true, type: 'module' }),
  );
  await copyFile(join(sampleDir, 'sample.ts'), join(project, 'sample.ts'));
  await writeFile(join(project, 'sample.cjs'), commonJsSample);
  // The compiler the repository uses; Node 20's types for `process` in the sample.
  const typescript = (require('typescript/package.json') as { version: string }).version;
  const install = await run(
    node20,
    [npm, 'install', '--no-audit', '--no-fund', tarball, `typescript@${typescript}`, '@types/node@20'],
    {
      cwd: project,
    },
  );
  installOutput = install.stdout + install.stderr;
  server = await startTestServer();
}, 600_000);

afterAll(async () => {
  await server?.close();
  await rm(project, { recursive: true, force: true });
  await rm(tarballDir, { recursive: true, force: true });
});

describe('the SDK as a package', () => {
  it('is installed outside the repository', () => {
    expect(project.startsWith(repoRoot)).toBe(false);
  });

  it('installs on Node 20 without an engine warning (no dependency needs a newer Node)', () => {
    // eventsource 5 needs Node 22.12: npm warned EBADENGINE for it and eventsource-parser (attack).
    expect(installOutput).not.toMatch(/EBADENGINE|Unsupported engine/);
  });

  it('publishes a package.json without workspace packages, with its real dependencies', async () => {
    const manifest = JSON.parse(await installed('package.json')) as Record<string, unknown>;
    expect(Object.keys(manifest['dependencies'] as object).sort()).toEqual(dependencies);
    expect(JSON.stringify(manifest)).not.toMatch(/@tagging\/(?!client)|workspace:|catalog:/);
    expect(manifest).not.toHaveProperty('devDependencies');
    // Publishable: the workspace copy's `private: true` is not packed.
    expect(manifest).not.toHaveProperty('private');
    expect(manifest['exports']).toMatchObject({
      '.': {
        import: { types: './dist/index.d.ts', default: './dist/index.js' },
        require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
      },
    });
  });

  it('ships built JavaScript and one declaration file per format, no sources', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    expect(stdout.trim().split('\n').sort()).toEqual([
      'package/README.md',
      'package/dist/index.cjs',
      'package/dist/index.d.cts',
      'package/dist/index.d.ts',
      'package/dist/index.js',
      'package/package.json',
    ]);
  });

  it('imports only its dependencies: no server code, no workspace package, no Node built-in (browsers run it)', async () => {
    for (const file of ['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts']) {
      // A subpath (the declarations name `@trpc/server/unstable-core-do-not-import`) is its package's.
      const packageOf = (specifier: string) =>
        specifier
          .split('/')
          .slice(0, specifier.startsWith('@') ? 2 : 1)
          .join('/');
      const modules = new Set(importedModules(await installed(file)).map(packageOf));
      expect([...modules].sort(), file).toEqual(dependencies.filter((name) => modules.has(name)));
    }
    // The router's type is inlined, written out in full: no path into the API's sources.
    const declarations = await installed('dist/index.d.ts');
    expect(declarations).not.toMatch(/import\(|@tagging\/|node:/);
    expect(declarations).toContain('tagContact: TRPCMutationProcedure<');
  });

  it('typechecks a sample under `tsc --strict --module nodenext`, default flags otherwise', async () => {
    const tsc = join(project, 'node_modules/typescript/bin/tsc');
    // Emits sample.js next to it, which the next test runs.
    const result = await run(node20, [tsc, '--strict', '--module', 'nodenext', 'sample.ts'], { cwd: project }).catch(
      (error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error), failed: true }),
    );
    expect(result.stdout).toBe('');
    expect(result).not.toHaveProperty('failed');
  }, 300_000);

  it('runs the sample on Node 20 against a real server, over tRPC, REST and a live subscription', async () => {
    const workspace = await server.newWorkspace();
    const { stdout } = await run(node20, ['sample.js'], {
      cwd: project,
      env: { PATH: process.env['PATH'], BASE_URL: server.url, API_KEY: workspace.apiKey },
    });
    const printed = JSON.parse(stdout) as { inherited: string[]; code: string; missing: string; firstEvent: string };
    expect(printed.inherited).toEqual([expect.stringMatching(/^VIP \d+: inherited$/)]);
    expect(printed.firstEvent).toBe('tag.created');
    expect(printed.code).toBe('NOT_FOUND 404');
    expect(printed.missing).toBe('function');
  });

  it('loads from CommonJS on Node 20', async () => {
    const workspace = await server.newWorkspace();
    const { stdout } = await run(node20, ['sample.cjs'], {
      cwd: project,
      env: { PATH: process.env['PATH'], BASE_URL: server.url, API_KEY: workspace.apiKey },
    });
    expect(JSON.parse(stdout)).toEqual({
      exports: expect.arrayContaining(['createTaggingClient', 'createTaggingRestClient', 'TaggingApiError', 'unwrap']),
      tags: 0,
    });
  });
});
