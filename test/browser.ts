/**
 * Headless Chromium for browser tests: Debian's `chromium`, driven by playwright-core pointed at
 * the system binary (nothing is downloaded at run time). Suites wrapped in `describeWithChromium`
 * run when a Chromium binary is found and are skipped with a one-line message otherwise.
 */
import * as fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The Chromium binary named by `CHROMIUM_BIN`, or the first system one found. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.CHROMIUM_BIN) {
    if (!fs.existsSync(env.CHROMIUM_BIN)) throw new Error(`CHROMIUM_BIN=${env.CHROMIUM_BIN} does not exist`);
    return env.CHROMIUM_BIN;
  }
  return CANDIDATES.find((p) => fs.existsSync(p));
}

/** `describe` that runs only when a Chromium binary is available. */
export function describeWithChromium(name: string, fn: (bin: string) => void): void {
  const bin = findChromium();
  if (bin) {
    describe(name, () => fn(bin));
    return;
  }
  describe(name, () => {
    it.skip(`install Debian's chromium (or set CHROMIUM_BIN) to run "${name}"`, () => undefined);
  });
}

/**
 * Launches headless Chromium with a fresh profile. The flags keep it off the network: this
 * machine refuses outside connections, and Chromium's background services would retry them.
 */
export async function launchChromium(bin: string): Promise<Browser> {
  // playwright-core gives every launch a fresh temporary profile of its own.
  return chromium.launch({
    executablePath: bin,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
