import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export type ApiProcess = {
  pid: number | undefined;
  baseUrl: string;
  /** Log lines of level error or worse (pino's JSON `level` ≥ 50), e.g. a failed background batch. */
  errorLogs: string[];
  /** SIGTERM, and wait for the exit (the graceful shutdown path). */
  stop: () => Promise<void>;
};

/**
 * The API as production runs it: `node src/main.ts` in a process of its own, on a PostgreSQL
 * database, listening on a free port (it logs at `info`: the port is read from its log). `env` adds to (or overrides) the variables of `env.ts`.
 */
export async function startApiProcess(databaseUrl: string, env: Record<string, string> = {}): Promise<ApiProcess> {
  const child: ChildProcess = spawn(process.execPath, [main], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const errorLogs: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A test runner that ends (or times out) must not leave the API running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));
  let output = '';
  let pending = '';
  const baseUrl = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (data: Buffer) => {
      output += data.toString();
      pending += data.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const level = /"level":(\d+)/.exec(line)?.[1];
        if (level !== undefined && Number(level) >= 50) errorLogs.push(line);
      }
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.stderr?.on('data', (data: Buffer) => {
      output += data.toString();
      // Node's own warnings (deprecations) are not failures of the service.
      const text = data
        .toString()
        .replace(/^\(node:\d+\) .*(?:Warning|Deprecation).*\n?|^\(Use `node --trace.*\n?/gm, '');
      if (text.trim()) errorLogs.push(text);
    });
    void exited.then(() => reject(new Error(`the API exited before listening: ${output}`)));
    setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the API did not listen within 30 s: ${output}`));
    }, 30_000).unref();
  });
  return {
    pid: child.pid,
    baseUrl,
    errorLogs,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
