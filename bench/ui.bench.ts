/**
 * The web UI: bundle size (gzipped, as the UI server sends it) and the ranking page's first
 * load over loopback with 100 validators — from navigation start to the 100th row on screen,
 * in headless Chromium against a real node (`sekaid-ts start` serving the UI and its RPC).
 * Baseline, same run and browser: a static page from a bare node:http server with the same
 * 100-row table inlined (what navigation and one render cost on this machine). Each load is a
 * fresh browser context (empty cache); median of LOADS loads after one warm-up.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeBech32 } from '../crypto/bech32';
import { buildUi } from '../scripts/build-ui';
import { findChromium, launchChromium } from '../test/browser';
import { startChain } from '../test/e2e/workflowChain';
import { median, type BenchSection } from './harness';

// Page-side code (page.evaluate) runs in the browser; these stand in for the DOM's types here.
declare const document: any;
declare const MutationObserver: any;

const VALIDATORS = 100;
const LOADS = 7;

function extraValidator(i: number) {
  const { publicKey } = generateKeyPairSync('ed25519');
  const key = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('base64');
  const addr = randomBytes(20);
  return {
    val_key: encodeBech32('kiravaloper', addr),
    pub_key: { '@type': '/cosmos.crypto.ed25519.PubKey', key },
    status: i % 10 === 0 ? 'PAUSED' : 'ACTIVE',
    rank: String(1000 - i),
    streak: String(i),
    moniker: `validator-${String(i).padStart(3, '0')}`,
    address: encodeBech32('kira', addr),
    commission_rate: '0.05',
    power: '1',
  };
}

/** ms from navigation start until `rows` table rows are on screen, read inside the page. */
async function loadTime(browser: Awaited<ReturnType<typeof launchChromium>>, url: string, rows: number): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'commit' });
  const ms = await page.evaluate(
    (n) =>
      new Promise<number>((resolve) => {
        const check = () => document.querySelectorAll('tbody tr').length >= n;
        if (check()) return resolve(performance.now());
        new MutationObserver((_: unknown, obs: { disconnect(): void }) => {
          if (check()) {
            obs.disconnect();
            resolve(performance.now());
          }
        }).observe(document, { subtree: true, childList: true });
      }),
    rows,
  );
  await context.close();
  return ms;
}

export async function run(): Promise<BenchSection> {
  const title = 'Web UI: bundle and first load (bench/ui.bench.ts)';
  const bin = findChromium();
  const build = await buildUi();
  const sizes = Object.entries(build.files).filter(([f]) => !f.endsWith('.map'));
  const gzipTotal = sizes.reduce((s, [, v]) => s + v.gzip, 0);
  const rawTotal = sizes.reduce((s, [, v]) => s + v.bytes, 0);
  const figures: BenchSection['figures'] = [
    { name: 'bundle: every file the page loads, gzipped', measured: gzipTotal / 1024, unit: 'kB', limit: 200, goal: '<= 1' },
    { name: 'bundle: the same, minified without gzip', measured: rawTotal / 1024, unit: 'kB' },
  ];
  const notes = [sizes.map(([f, v]) => `${f}: ${v.bytes} B, ${v.gzip} B gzipped`).join('; ')];
  if (!bin) return { title, figures, notes: [...notes, 'first load not measured: no Chromium (install Debian\'s chromium)'] };

  const chain = await startChain({
    chainId: 'sekai-bench-ui',
    keys: ['validator'],
    blockTime: '1s',
    ui: true,
    editGenesis: (g) => {
      const list = g.app_state.customstaking.validators as unknown[];
      for (let i = list.length; i < VALIDATORS; i++) list.push(extraValidator(i));
    },
  });
  const rowsHtml = Array.from({ length: VALIDATORS }, (_, i) => `<tr><td>${i + 1}</td><td>validator-${i}</td><td>ACTIVE</td><td>${1000 - i}</td></tr>`).join('');
  const bare = http.createServer((_, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(`<!doctype html><title>x</title><table><tbody>${rowsHtml}</tbody></table>`));
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;
  const browser = await launchChromium(bin);
  try {
    await loadTime(browser, `${chain.ui}/`, VALIDATORS);
    await loadTime(browser, bareUrl, VALIDATORS);
    const ui: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < LOADS; i++) {
      ui.push(await loadTime(browser, `${chain.ui}/`, VALIDATORS));
      floor.push(await loadTime(browser, bareUrl, VALIDATORS));
    }
    figures.push(
      { name: `ranking page first load, ${VALIDATORS} validators, empty cache (median of ${LOADS})`, measured: median(ui), unit: 'ms', limit: 1000, goal: '<= 1' },
      { name: '  the slowest of those loads', measured: Math.max(...ui), unit: 'ms' },
      { name: `baseline: static page with the same ${VALIDATORS} rows, bare node:http`, measured: median(floor), unit: 'ms' },
    );
    notes.push(`loads (ms): ${ui.map((x) => x.toFixed(0)).join(', ')}; baseline: ${floor.map((x) => x.toFixed(0)).join(', ')}`);
  } finally {
    await browser.close();
    await new Promise<void>((r) => bare.close(() => r()));
    await chain.stop();
  }
  return { title, figures, notes };
}
