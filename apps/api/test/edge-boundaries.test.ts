import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The boundaries of docs/ARCHITECTURE.md that code review alone would let slip: the error
 * module is imported by the transports and imports none of them, and the domain speaks no
 * dialect (no `success` envelopes, no `/api/...` URLs, no document wording).
 */
const root = join(import.meta.dirname, '..', '..', '..');

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

async function offending(dir: string, pattern: RegExp, skip: (path: string) => boolean = () => false) {
  const found: string[] = [];
  for (const file of await sourceFiles(join(root, dir))) {
    const path = relative(root, file);
    if (skip(path)) continue;
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines.forEach((line, index) => {
      // Code only: a doc comment may name what the domain leaves to the transports.
      const comment = /^\s*(\*|\/\/|\/\*)/.test(line);
      if (!comment && pattern.test(line)) found.push(`${path}:${index + 1}: ${line.trim()}`);
    });
  }
  return found;
}

describe('edge boundaries', () => {
  it('apps/api/src/errors imports no transport (tRPC, REST, GraphQL plugins, procedures)', async () => {
    const imports = await offending('apps/api/src/errors', /from '\.\.\/(trpc|rest|graphql|procedures|http|auth)\//);
    expect(imports).toEqual([]);
  });

  it('the domain returns no success envelopes, no /api URLs and no Zapini wording', async () => {
    const migrations = (path: string) => path.includes('/migrations/');
    expect(await offending('packages/domain/src', /success: true/, migrations)).toEqual([]);
    expect(await offending('packages/domain/src', /['"`]\/api\//, migrations)).toEqual([]);
    expect(await offending('packages/domain/src', /tag_ids|The selected|[Cc]onversation [a-z$]/, migrations)).toEqual(
      [],
    );
  });
});
