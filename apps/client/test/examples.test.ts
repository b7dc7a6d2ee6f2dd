import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@tagging/api/testing';

const run = promisify(execFile);
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** Runs an example script as a user would (`node examples/<name>.ts`), against the test server. */
async function runExample(name: string, apiKey: string) {
  const script = fileURLToPath(new URL(`../examples/${name}`, import.meta.url));
  const { stdout } = await run(process.execPath, [script], {
    env: { ...process.env, BASE_URL: server.url, API_KEY: apiKey },
  });
  return stdout;
}

describe('the example scripts, run against a real server', () => {
  it.each(['tag-contact-trpc.ts', 'tag-contact-rest.ts'])(
    '%s tags a contact and prints the tag its session inherits',
    async (name) => {
      const workspace = await server.newWorkspace();
      const stdout = await runExample(name, workspace.apiKey);
      expect(stdout).toMatch(/^VIP \d+: inherited from contact_\S+\n$/);
    },
  );

  it('import-and-tag.ts tags in chunks, lists every page and waits for the export', async () => {
    const workspace = await server.newWorkspace();
    const stdout = await runExample('import-and-tag.ts', workspace.apiKey);
    const lines = stdout.trim().split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'tagged 100/250',
      'tagged 200/250',
      'tagged 250/250',
      'tagged 250, skipped 0, errors 0',
    ]);
    expect(lines[4]).toBe('listed 250 tagged contacts');
    expect(lines.at(-1)).toMatch(/^export done with 250 rows at \S+\/download$/);
  });

  it('an example that fails reports the typed error and exits with status 1', async () => {
    const failure = await runExample('import-and-tag.ts', 'tgk_not-a-key').catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining('failed: UNAUTHORIZED (401)') });
  });
});
