import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A PostgreSQL server of its own for one test: `initdb` in a temporary directory, its own free
 * port, its unix socket in that directory, trust authentication on loopback. It can be stopped
 * and started again (same data, same port), and is deleted afterwards. The shared server is
 * never touched.
 */
export type ThrowawayPostgres = {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  start: () => Promise<void>;
  /** `pg_ctl stop -m fast`: sessions are terminated, as in an operator's restart. */
  stop: () => Promise<void>;
  /** Stops the server if it runs and deletes its directory. */
  destroy: () => Promise<void>;
};

/** The directory of `initdb` and `pg_ctl`: the newest /usr/lib/postgresql/<version>/bin, or none. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((version) => existsSync(path.join(root, version, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : path.join(root, versions[0], 'bin');
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * PostgreSQL refuses to run as root (as CI runs): then the server's files belong to the
 * `postgres` user and its commands run as that user through `runuser`.
 */
async function commandRunner(): Promise<{
  owner?: { uid: number; gid: number };
  exec: (file: string, args: string[]) => Promise<unknown>;
}> {
  if (process.getuid?.() !== 0) return { exec: (file, args) => run(file, args) };
  const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
  const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
  return { owner: { uid, gid }, exec: (file, args) => run('runuser', ['-u', 'postgres', '--', file, ...args]) };
}

export async function startThrowawayPostgres(binDir: string): Promise<ThrowawayPostgres> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tagging-pg-'));
  const { owner, exec } = await commandRunner();
  if (owner) await chown(dir, owner.uid, owner.gid);
  const dataDir = path.join(dir, 'data');
  const port = await freePort();
  const pgCtl = path.join(binDir, 'pg_ctl');
  try {
    await exec(path.join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync']);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    // A test server: durability off, small footprint.
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c shared_buffers=16MB',
    '-c max_connections=40',
  ].join(' ');
  let running = false;
  // A test run that ends abruptly (a timeout, an interrupt) still takes the server down with it.
  const stopOnExit = () => {
    const [file, ...args] = owner ? ['runuser', '-u', 'postgres', '--', pgCtl] : [pgCtl];
    if (running) execFileSync(file ?? pgCtl, [...args, '-D', dataDir, '-m', 'immediate', 'stop'], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopOnExit);
  const start = async () => {
    await exec(pgCtl, ['-D', dataDir, '-l', path.join(dir, 'server.log'), '-o', options, '-w', '-t', '30', 'start']);
    running = true;
  };
  const stop = async () => {
    await exec(pgCtl, ['-D', dataDir, '-m', 'fast', '-w', '-t', '30', 'stop']);
    running = false;
  };
  await start().catch(async (error: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    destroy: async () => {
      process.off('exit', stopOnExit);
      if (running) await exec(pgCtl, ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
