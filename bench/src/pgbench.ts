import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { percentile } from './db.ts';

const run = promisify(execFile);

export type PgbenchResult = { tps: number; p50: number; p99: number; transactions: number; failed: number };

/**
 * pgbench with a custom script against `url`: `clients` connections on 2 threads, prepared
 * statements, for `seconds`. Latencies (ms) come from the per-transaction log.
 */
export async function pgbench(options: {
  url: string;
  script: string;
  clients: number;
  seconds: number;
  variables?: Record<string, string | number>;
}): Promise<PgbenchResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-pgbench-'));
  try {
    const scriptFile = path.join(dir, 'script.sql');
    writeFileSync(scriptFile, options.script);
    const url = new URL(options.url);
    const args = [
      '-n',
      '-M',
      'prepared',
      '-c',
      String(options.clients),
      '-j',
      '2',
      '-T',
      String(options.seconds),
      '-f',
      scriptFile,
      '-l',
      `--log-prefix=${path.join(dir, 'log')}`,
      '-h',
      url.hostname,
      '-p',
      url.port || '5432',
      '-U',
      decodeURIComponent(url.username || 'postgres'),
      ...Object.entries(options.variables ?? {}).flatMap(([name, value]) => ['-D', `${name}=${value}`]),
      url.pathname.slice(1),
    ];
    const { stdout } = await run('pgbench', args, { maxBuffer: 16 * 1024 * 1024 });
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1] ?? 'NaN');
    const failed = Number(/number of failed transactions: (\d+)/.exec(stdout)?.[1] ?? '0');
    const latencies: number[] = [];
    for (const file of readdirSync(dir).filter((name) => name.startsWith('log'))) {
      for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
        const micros = line.split(' ')[2];
        if (micros !== undefined) latencies.push(Number(micros) / 1000);
      }
    }
    latencies.sort((a, b) => a - b);
    return {
      tps,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      transactions: latencies.length,
      failed,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
