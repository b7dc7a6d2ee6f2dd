import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { processCpuSeconds } from './backend-cpu.ts';
import { repoRoot } from './setup.ts';

export type RunningServer = {
  baseUrl: string;
  pid: number;
  /** Milliseconds from spawning the process to its first answer on `/healthz`. */
  healthyMs: number;
  /** Resident set size now, in bytes (from /proc). */
  rss: () => number;
  /** CPU time the process has used so far, user + system, in seconds (from /proc). */
  cpuSeconds: () => number;
  stop: () => Promise<void>;
};

export type ServerOptions = {
  port: number;
  env: Record<string, string>;
  logFile: string;
  extraNodeArgs?: readonly string[];
  /** The entry point, relative to the repository (default: the API server). */
  script?: string;
};

const live = new Set<ChildProcess>();
// A harness that fails half-way must not leave servers behind.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Starts `apps/api/src/main.ts` in its own process (production settings, logs at info to a file). */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const taken = await fetch(`${baseUrl}/healthz`).then(
    () => true,
    () => false,
  );
  if (taken) throw new Error(`port ${options.port} is already in use (a server left from an earlier run?)`);
  const log = openSync(options.logFile, 'w');
  const spawned = performance.now();
  // The API runs with its production V8 flags (`./pnpm start` reads the same file).
  const apiFlags =
    options.script === undefined
      ? readFileSync(path.join(repoRoot, 'apps/api/node-flags'), 'utf8').split(/\s+/).filter(Boolean)
      : [];
  const child: ChildProcess = spawn(
    process.execPath,
    [...apiFlags, ...(options.extraNodeArgs ?? []), options.script ?? 'apps/api/src/main.ts'],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        HOST: '127.0.0.1',
        PORT: String(options.port),
        ...options.env,
      },
      stdio: ['ignore', log, log],
    },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error('the server did not start');
  live.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      live.delete(child);
      resolve();
    }),
  );
  const deadline = Date.now() + 60_000;
  let healthyMs: number;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}); see ${options.logFile}`);
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) {
        healthyMs = performance.now() - spawned;
        break;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`the server did not answer /healthz within 60 s; see ${options.logFile}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}); see ${options.logFile}`);
    try {
      const response = await fetch(`${baseUrl}/readyz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the server was not ready within 60 s; see ${options.logFile}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    baseUrl,
    pid,
    healthyMs,
    rss: () => {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return match?.[1] ? Number(match[1]) * 1024 : Number.NaN;
    },
    cpuSeconds: () => processCpuSeconds(pid),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Samples `read` every `everyMs` until stopped; returns the peak. */
export function samplePeak(read: () => number, everyMs = 50): { stop: () => number } {
  let peak = read();
  const timer = setInterval(() => {
    peak = Math.max(peak, read());
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, read());
    },
  };
}
