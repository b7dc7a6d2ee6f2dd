import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { logDestination } from '../src/observability/log-destination.ts';

/**
 * The log destination gathers lines up to its buffer size and then writes them on the main
 * thread, within the call that filled the buffer: no write request goes to libuv's thread pool
 * (issue 20: the pool's wake-ups cost up to 20 % more Node CPU per read;
 * docs/PERFORMANCE-HISTORY.md, ninth round).
 */
const dir = mkdtempSync(path.join(tmpdir(), 'log-destination-'));

const fileDestination = (name: string, bufferBytes: number) => {
  const file = path.join(dir, name);
  // The destination owns the descriptor: `destroy()` closes it.
  return { file, destination: logDestination(bufferBytes, openSync(file, 'w')) };
};
const pendingFileWrites = () => process.getActiveResourcesInfo().filter((kind) => kind === 'FSReqCallback').length;
const line = (i: number) => `${JSON.stringify({ msg: 'request completed', i, pad: 'x'.repeat(80) })}\n`;

describe('log destination', () => {
  it('keeps lines until the buffer is full, then writes them all at once, synchronously', () => {
    const { file, destination } = fileDestination('buffered.log', 4096);
    const before = pendingFileWrites();
    let written = 0;
    let i = 0;
    while (written < 4096 - 200) {
      destination.write(line(i));
      written += line(i).length;
      i++;
    }
    expect(readFileSync(file, 'utf8')).toBe('');
    while (written < 4096) {
      destination.write(line(i));
      written += line(i).length;
      i++;
    }
    // Written before the call returned, and nothing left waiting for a worker thread.
    const text = readFileSync(file, 'utf8');
    expect(text.length).toBe(written);
    expect(text.split('\n').filter(Boolean)).toHaveLength(i);
    expect(pendingFileWrites()).toBe(before);
    destination.destroy();
  });

  it('writes each line as it comes with a buffer of 0', () => {
    const { file, destination } = fileDestination('unbuffered.log', 0);
    destination.write(line(1));
    expect(readFileSync(file, 'utf8')).toBe(line(1));
    destination.destroy();
  });

  it('writes what is buffered on flush', () => {
    const { file, destination } = fileDestination('flushed.log', 4096);
    destination.write(line(1));
    expect(readFileSync(file, 'utf8')).toBe('');
    destination.flushSync();
    expect(readFileSync(file, 'utf8')).toBe(line(1));
    destination.destroy();
  });

  it('writes what is buffered when the process exits', () => {
    const module = path.join(import.meta.dirname, '../src/observability/log-destination.ts');
    const script = [
      `const { logDestination } = await import(${JSON.stringify(module)});`,
      'const destination = logDestination(4096);',
      "for (let i = 0; i < 3; i++) destination.write(JSON.stringify({ i }) + '\\n');",
      'process.exit(0);',
    ].join('\n');
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(output).toBe('{"i":0}\n{"i":1}\n{"i":2}\n');
  });
});

process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
