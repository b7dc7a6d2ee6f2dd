import { defineConfig } from 'tsdown';

/**
 * The published SDK (`pnpm --filter @tagging/client build`, run by `pnpm pack`): ESM and CJS
 * JavaScript and one bundled declaration file per format in dist/. The workspace's contracts are
 * bundled in (code and types); @trpc/client, @trpc/server (types), openapi-fetch and zod stay
 * dependencies. `platform: 'neutral'`: no Node built-in may reach the code, which runs in browsers.
 */
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  platform: 'neutral',
  target: 'es2022',
  outDir: 'dist',
  tsconfig: 'tsconfig.build.json',
  deps: { alwaysBundle: [/^@tagging\//] },
  dts: true,
});
