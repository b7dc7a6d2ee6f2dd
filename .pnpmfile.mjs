// pnpm hooks for this workspace.

/**
 * `pnpm pack` / `pnpm publish` of the SDK: its published package.json keeps what a consumer
 * installs (dependencies) and drops what only builds it here (devDependencies naming workspace
 * packages, scripts that need the repository) and `private`, which keeps the workspace copy from
 * being published by accident but would make the packed tarball unpublishable.
 */
function beforePacking(pkg) {
  if (pkg.name !== '@tagging/client') return pkg;
  const { devDependencies: _devDependencies, scripts: _scripts, private: _private, ...published } = pkg;
  return published;
}

export const hooks = { beforePacking };
