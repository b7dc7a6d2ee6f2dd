import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * PGlite is single-process: two processes on one data directory would corrupt it. The server
 * holds a pid file in the data directory; the CLI refuses to open the directory while that
 * process is alive.
 */
const pidFileOf = (dataDir: string) => path.join(dataDir, 'tagging-server.pid');

export function runningServerPid(dataDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFileOf(dataDir), 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

export function holdDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(pidFileOf(dataDir), String(process.pid));
  return () => rmSync(pidFileOf(dataDir), { force: true });
}
