import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../src/env.ts';

/**
 * A bad setting stops the server at start-up with one line, `invalid configuration: …`, and exit
 * code 1, like a bad DATABASE_URL (issue 19 attack finding: it used to be a stack trace).
 */
const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'tagging-config-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

type Result = { code: number; stderr: string };
const start = (env: Record<string, string>) =>
  new Promise<Result>((resolve) => {
    const { DATABASE_URL: _ignored, ...rest } = process.env;
    execFile(
      process.execPath,
      [main],
      { env: { ...rest, DATA_DIR: dataDir, PORT: '0', ...env }, timeout: 60_000 },
      (error, _stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stderr });
      },
    );
  });

describe('an invalid setting at start-up', { timeout: 120_000 }, () => {
  it.each([
    ['TRUST_PROXY', 'banana'],
    ['CORS_ORIGINS', 'https://app.example.com/path'],
    ['RATE_LIMIT_PER_SECOND', 'abc'],
    ['EXPORT_EXPIRY_DAYS', '1e9'],
  ])('%s=%s: one line on stderr, no stack trace, exit 1', async (name, value) => {
    const result = await start({ [name]: value });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^invalid configuration: .*${name}`));
    expect(result.stderr).not.toMatch(/^ {4}at /m);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses day and hour settings beyond ten years', () => {
    for (const name of ['EXPORT_EXPIRY_DAYS', 'JOB_RETENTION_DAYS', 'EVENT_RETENTION_DAYS'])
      expect(() => readEnv({ [name]: '1e9' }), name).toThrow(/invalid configuration/);
    expect(() => readEnv({ WEBHOOK_DISABLE_AFTER_HOURS: '1e9' })).toThrow(/invalid configuration/);
    expect(readEnv({ EXPORT_EXPIRY_DAYS: '3650' }).EXPORT_EXPIRY_DAYS).toBe(3650);
  });

  it('takes a number setting written in decimal only (Number() reads " " as 0, 0x10 as 16)', () => {
    for (const name of [
      'WEBHOOK_BUSY_PAUSE_MS',
      'PORT',
      'DATABASE_POOL_SIZE',
      'JOB_RETENTION_DAYS',
      'LOG_BUFFER_BYTES',
    ])
      for (const value of [' ', '\t', ' 5', '5 ', '0x10', '+5', '1e3', '5ms', '.5', 'Infinity'])
        expect(() => readEnv({ [name]: value }), `${name}=${JSON.stringify(value)}`).toThrow(
          new RegExp(`^invalid configuration: ${name}: expected a decimal number`),
        );
    expect(readEnv({ WEBHOOK_BUSY_PAUSE_MS: '0' }).WEBHOOK_BUSY_PAUSE_MS).toBe(0);
    expect(readEnv({ WEBHOOK_BUSY_PAUSE_MS: '050' }).WEBHOOK_BUSY_PAUSE_MS).toBe(50);
    expect(readEnv({ JOB_RETENTION_DAYS: '0.5' }).JOB_RETENTION_DAYS).toBe(0.5);
    // Empty is unset: the default.
    expect(readEnv({ WEBHOOK_BUSY_PAUSE_MS: '' }).WEBHOOK_BUSY_PAUSE_MS).toBe(200);
    // Decimal but out of range: the range's own message, once.
    expect(() => readEnv({ WEBHOOK_BUSY_PAUSE_MS: '-1' })).toThrow(/WEBHOOK_BUSY_PAUSE_MS: Too small/);
    // Every bad setting is named, decimal or not.
    expect(() => readEnv({ PORT: '0x10', DATABASE_POOL_SIZE: '0' })).toThrow(
      /PORT: expected a decimal number.*DATABASE_POOL_SIZE/,
    );
  });
});
