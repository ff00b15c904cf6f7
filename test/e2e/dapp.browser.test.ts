/**
 * A dApp in headless Chromium (Debian's chromium through playwright-core): a page served from
 * another origin reads a balance over REST and over gRPC-web, signs a transfer with CosmJS in
 * the page, broadcasts it over REST and sees it committed. The node lists the page's origin in
 * its CORS rule (`[api] cors-allowed-origins`), as the README documents; the same page served
 * from an origin that is not listed cannot read anything.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { encodeBech32 } from '../../crypto/bech32';
import { describeWithChromium, launchChromium } from '../browser';
import { ALICE_MNEMONIC, startWalletNode, type WalletNode } from '../fixtures/walletNode';

jest.setTimeout(180_000);

declare const window: any;

/** Serves the page and its bundle on 127.0.0.1 (a different port is a different origin). */
async function servePage(bundle: string): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url === '/dapp.js') res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(bundle);
    else res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><html><head><script src="/dapp.js"></script></head><body>dApp</body></html>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))) };
}

describeWithChromium('a dApp in Chromium on another origin', (bin) => {
  let chain: WalletNode;
  let browser: Browser;
  let allowed: Awaited<ReturnType<typeof servePage>>;
  let other: Awaited<ReturnType<typeof servePage>>;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const out = await build({ entryPoints: [join(__dirname, '../browser/dapp.ts')], bundle: true, platform: 'browser', format: 'iife', write: false, logLevel: 'silent' });
    const bundle = out.outputFiles[0].text;
    allowed = await servePage(bundle);
    other = await servePage(bundle);
    chain = await startWalletNode('sekai-dapp-1', { origins: [allowed.origin] });
    browser = await launchChromium(bin);
  });

  afterAll(async () => {
    await browser?.close();
    await chain?.stop();
    await allowed?.close();
    await other?.close();
  });

  async function open(origin: string): Promise<Page> {
    const page = await browser.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => window.dapp !== undefined);
    return page;
  }

  it('reads over REST and gRPC-web, signs with CosmJS and broadcasts over REST', async () => {
    const page = await open(allowed.origin);
    const to = encodeBech32('kira', new Uint8Array(20).fill(9));
    const endpoints = { rest: chain.rest.url, grpcWeb: chain.grpcWeb.url, chainId: chain.chainId, mnemonic: ALICE_MNEMONIC, to };
    const r = await page.evaluate((e) => window.dapp.run(e), endpoints);
    expect(r.address).toBe(chain.alice);
    expect([r.before, r.beforeGrpc]).toEqual(['0', '0']);
    expect(r.code).toBe(0);
    expect(Number(r.height)).toBeGreaterThan(0);
    expect([r.after, r.afterGrpc]).toEqual(['4242', '4242']);
    // The node agrees: the tx is in its block store under that hash.
    const onNode = (await (await fetch(`${chain.rest.url}/cosmos/tx/v1beta1/txs/${r.hash}`)).json()) as { tx: { body: { memo: string } } };
    expect(onNode.tx.body.memo).toBe('from the browser');
    expect(pageErrors).toEqual([]);
  });

  it('a page from an origin that is not listed cannot read the node', async () => {
    const page = await open(other.origin);
    const blocked = await page.evaluate(async (rest) => {
      try {
        await window.dapp.restJson(`${rest}/cosmos/base/tendermint/v1beta1/syncing`);
        return 'read';
      } catch (e) {
        return String(e);
      }
    }, chain.rest.url);
    expect(blocked).toMatch(/Failed to fetch/);
    const grpc = await page.evaluate(async (url) => {
      try {
        return await window.dapp.grpcWebBalance(url, 'kira1x', 'ukex');
      } catch (e) {
        return String(e);
      }
    }, chain.grpcWeb.url);
    expect(grpc).toMatch(/Failed to fetch/);
  });
});
