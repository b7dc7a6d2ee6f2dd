import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '@tagging/domain/testing';
import type {} from '../testing/global-setup.ts';

/**
 * The README's command, exactly as an operator (or a process manager, or a container runtime)
 * runs it: `./pnpm start` from the repository root. SIGTERM to that very process must reach the
 * API's graceful shutdown and leave nothing running (issue 19: it used to exit and orphan the API).
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
let database: TestDatabase | undefined;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'tagging-start-'));
  const template = inject('testDatabaseTemplate');
  if (template.kind === 'postgres') database = await openTestDatabase(template);
});
afterAll(async () => {
  await database?.dispose();
  await rm(dataDir, { recursive: true, force: true });
});

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('./pnpm start', () => {
  it('stops gracefully on SIGTERM to the process the README starts, leaving no process behind', async () => {
    const child = spawn('./pnpm', ['start'], {
      cwd: root,
      env: {
        ...process.env,
        PORT: '0',
        LOG_LEVEL: 'info',
        ...(database?.url ? { DATABASE_URL: database.url } : { DATA_DIR: dataDir, DATABASE_URL: '' }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    let output = '';
    child.stderr.on('data', (data: Buffer) => (output += data.toString()));
    const listening = await new Promise<{ baseUrl: string; serverPid: number }>((resolve, reject) => {
      child.stdout.on('data', (data: Buffer) => {
        output += data.toString();
        const match = /"pid":(\d+),[^\n]*Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match?.[1] && match[2]) resolve({ serverPid: Number(match[1]), baseUrl: match[2] });
      });
      void exited.then(({ code }) => reject(new Error(`./pnpm start exited (${String(code)}): ${output}`)));
    });
    expect((await fetch(`${listening.baseUrl}/healthz`)).status).toBe(200);

    expect(child.pid).toBeDefined();
    child.kill('SIGTERM');
    const { code, signal } = await exited;
    process.off('exit', killOnExit);
    // Ended by its own graceful shutdown (exit 0), not killed by the signal.
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(output).toContain('"msg":"shutting down"');
    expect(output).toContain('"msg":"http server closed"');
    // The process the README starts is the server itself, so nothing can be orphaned; and the
    // server is gone, its port closed.
    expect(listening.serverPid).toBe(child.pid);
    expect(alive(listening.serverPid)).toBe(false);
    const after = await fetch(`${listening.baseUrl}/healthz`).then(
      (response) => response.status,
      () => 'refused',
    );
    expect(after).toBe('refused');
  }, 90_000);
});
