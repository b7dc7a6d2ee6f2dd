import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium as playwrightChromium, type BrowserContext } from 'playwright-core';

/** Debian's Chromium, which `scripts/ensure-chromium.sh` installs when it is missing. */
const executablePath = '/usr/bin/chromium';
const ensureChromium = fileURLToPath(new URL('../scripts/ensure-chromium.sh', import.meta.url));

/**
 * Runs the project's own install script; the reason when Chromium cannot be had on this machine
 * (then the browser tests skip and say why), undefined when it is ready.
 */
export async function chromiumUnavailable(): Promise<string | undefined> {
  try {
    await promisify(execFile)('sh', [ensureChromium], { env: { ...process.env, CHROMIUM_PATH: executablePath } });
    return undefined;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    return stderr || String(error);
  }
}

/** A headless Chromium with a fresh profile; `close` ends it and removes the profile. */
export type HeadlessChromium = { context: BrowserContext; close: () => Promise<void> };

/**
 * Launches headless Chromium through playwright-core with the flags this machine needs (no
 * sandbox as root; no background networking, which the closed network would refuse).
 */
export async function launchChromium(): Promise<HeadlessChromium> {
  const profile = await mkdtemp(path.join(tmpdir(), 'tagging-chromium-'));
  const context = await playwrightChromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
