/**
 * The web UI in headless Chromium against a real chain (the embedded engine started by the CLI,
 * with the UI served by `start` on a free port): the ranking shows what `query customstaking
 * validators` and `query customslashing signing-infos` print at the same height; a `pause` tx
 * turns the row PAUSED within two blocks without a reload; the detail page draws the rank
 * history. Screenshots of every page at desktop and phone widths go to
 * $TEST_ARTIFACTS_DIR/ui (default test-artifacts/ui); any console error fails the test.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildUi } from '../../scripts/build-ui';
import { describeWithChromium, launchChromium } from '../browser';
import { freePort } from '../cometbft';
import { addressToBech32 } from '../../crypto/address';
import { consensusPubKeyJson, query, startChain, tx, txHash, waitTx, type Chain } from './workflowChain';

jest.setTimeout(240_000);

// Page-side code (page.evaluate) runs in the browser; these stand in for the DOM's types here.
declare const document: any;
declare const window: any;
declare const MutationObserver: any;
type Element = any;

const ARTIFACTS = join(resolve(process.env.TEST_ARTIFACTS_DIR ?? join(__dirname, '..', '..', 'test-artifacts')), 'ui');
const VIEWPORTS = { desktop: { width: 1280, height: 860 }, phone: { width: 390, height: 844 } } as const;

interface RowText {
  valoper: string;
  moniker: string;
  status: string;
  rank: string;
  streak: string;
  mischance: string;
  confidence: string;
}

describeWithChromium('web UI in Chromium', (bin) => {
  let chain: Chain;
  let browser: Browser;
  const consoleErrors: string[] = [];

  async function open(path: string, viewport: keyof typeof VIEWPORTS = 'desktop'): Promise<Page> {
    const page = await browser.newPage({ viewport: VIEWPORTS[viewport] });
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(`${page.url()}: ${m.text()}`));
    page.on('pageerror', (e) => consoleErrors.push(`${page.url()}: ${e.message}`));
    await page.goto(`${chain.ui}/${path}`);
    return page;
  }

  async function shoot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  }

  /** The ranking table as text, with the height its data was read at, in one DOM read. */
  const readTable = (page: Page) =>
    page.evaluate(() => {
      const table = document.querySelector('table.validators')!;
      const cell = (tr: Element, col: string) => tr.querySelector(`[data-col="${col}"]`)!.textContent!.trim();
      const rows = [...table.querySelectorAll('tbody tr')].map((tr: Element) => ({
        valoper: tr.getAttribute('data-valoper')!,
        moniker: tr.getAttribute('data-moniker')!,
        status: tr.querySelector('[data-status]')!.getAttribute('data-status')!,
        rank: cell(tr, 'rank'),
        streak: cell(tr, 'streak'),
        mischance: cell(tr, 'mischance'),
        confidence: cell(tr, 'mischance_confidence'),
      }));
      return { height: Number(table.getAttribute('data-height')), rows };
    });

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildUi();
    chain = await startChain({
      chainId: 'sekai-ui-1',
      keys: ['validator', 'second'],
      properties: [
        ['MIN_VALIDATORS', '1'],
        // The second validator never signs (the engine holds only the genesis key): keep it
        // ACTIVE for the whole test instead of inactive after ~120 blocks.
        ['MAX_MISCHANCE', '1000000'],
      ],
      permissions: [['second', 'PERMISSION_CLAIM_VALIDATOR']],
      blockTime: '1s',
      ui: true,
    });
    const claim = await waitTx(chain, txHash(await tx(chain, 'second', ['customstaking', 'claim-validator-seat', '--moniker', 'second', '--pubkey', consensusPubKeyJson()])));
    expect(claim.tx_result.code).toBe(0);
    browser = await launchChromium(bin);
  });

  afterAll(async () => {
    await browser?.close();
    await chain?.stop();
  });

  afterEach(() => {
    expect(consoleErrors).toEqual([]);
  });

  it('ranks every validator with the values the CLI reports at the same height', async () => {
    const page = await open('');
    await page.waitForSelector('tr[data-moniker="second"]');
    const { height, rows } = await readTable(page);
    expect(height).toBeGreaterThan(0);

    const cli = await query<{ validators: { valkey: string; moniker: string; status: string; rank: string; streak: string; proposer: string; mischance: string }[] }>(chain, [
      'customstaking', 'validators', '--height', String(height),
    ]);
    const infos = await query<{ infos: { address: string; mischance: string; mischance_confidence: string }[] }>(chain, [
      'customslashing', 'signing-infos', '--height', String(height),
    ]);
    const expected: RowText[] = cli.validators.map((v) => {
      const info = infos.infos.find((i) => i.address === addressToBech32('consensus', Buffer.from(v.proposer, 'hex')));
      return { valoper: v.valkey, moniker: v.moniker, status: v.status, rank: v.rank, streak: v.streak, mischance: v.mischance, confidence: info?.mischance_confidence ?? '0' };
    });
    expect(cli.validators).toHaveLength(2);
    expect([...rows].sort((a, b) => a.valoper.localeCompare(b.valoper))).toEqual(expected.sort((a, b) => a.valoper.localeCompare(b.valoper)));
    // Ordered by merit: the signing genesis validator first.
    expect(rows[0].moniker).toBe('validator-moniker');
    expect(Number(rows[0].rank)).toBeGreaterThan(Number(rows[1].rank));

    await shoot(page, 'validators-desktop');
    const phone = await open('', 'phone');
    await phone.waitForSelector('tr[data-moniker="second"]');
    await shoot(phone, 'validators-phone');
    await phone.close();
    await page.close();
  });

  it('shows PAUSED within two blocks of the pause tx, without a reload', async () => {
    const page = await open('');
    await page.waitForSelector('tr[data-moniker="second"] [data-status="ACTIVE"]');
    // Record the height on screen when the row turns PAUSED; a reload would lose the marker.
    await page.evaluate(() => {
      const w = window as unknown as { pausedAt?: number; marker: boolean };
      w.marker = true;
      new MutationObserver(() => {
        if (w.pausedAt === undefined && document.querySelector('tr[data-moniker="second"] [data-status="PAUSED"]')) {
          w.pausedAt = Number(document.querySelector('[data-testid="height"]')!.textContent);
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    const included = await waitTx(chain, txHash(await tx(chain, 'second', ['customslashing', 'pause'])));
    expect(included.tx_result.code).toBe(0);
    await page.waitForFunction(() => (window as unknown as { pausedAt?: number }).pausedAt !== undefined, undefined, { timeout: 60_000 });
    const seen = await page.evaluate(() => {
      const w = window as unknown as { pausedAt: number; marker?: boolean };
      return { pausedAt: w.pausedAt, marker: w.marker };
    });
    expect(seen.marker).toBe(true);
    expect(seen.pausedAt).toBeLessThanOrEqual(Number(included.height) + 2);
    await shoot(page, 'validators-paused-desktop');
    await page.close();
  });

  it('draws a validator\'s rank history on its detail page', async () => {
    const page = await open('');
    await page.click('a:text("validator-moniker")');
    await page.waitForSelector('polyline.rank-line');
    const points = await page.$eval('polyline.rank-line', (el) => el.getAttribute('points')!.split(' ').length);
    expect(points).toBeGreaterThan(2);
    expect(await page.textContent('h1')).toContain('validator-moniker');
    await shoot(page, 'validator-detail-desktop');
    const phone = await open(page.url().slice(page.url().indexOf('#')), 'phone');
    await phone.waitForSelector('polyline.rank-line');
    await shoot(phone, 'validator-detail-phone');
    await phone.close();
    await page.close();
  });
  it('lists a proposal submitted by the CLI with its tally', async () => {
    const submitted = await tx(chain, 'validator', [
      'customgov', 'proposal', 'set-network-property', 'MIN_TX_FEE', '100', '--title', 'Keep the fee', '--description', 'A proposal to show on the page',
    ], 'block');
    expect(submitted.code).toBe(0);
    const voted = await tx(chain, 'validator', ['customgov', 'proposal', 'vote', '1', 'yes'], 'block');
    expect(voted.code).toBe(0);
    const cli = await query<{ proposal: { title: string; result: string }; votes: { option: string }[] }>(chain, ['customgov', 'proposal', '1']);
    const yes = cli.votes.filter((v) => v.option === 'VOTE_OPTION_YES').length;
    expect(yes).toBe(1);

    const page = await open('#/governance');
    const card = page.locator('[data-proposal="1"]');
    await card.locator('[data-vote="yes"]', { hasText: String(yes) }).waitFor();
    expect(await card.locator('h3').textContent()).toContain(cli.proposal.title);
    expect(await card.locator('[data-testid="proposal-status"]').textContent()).toBe(cli.proposal.result.replace(/^VOTE_RESULT_/, ''));
    expect(await card.locator('[data-vote="no"]').textContent()).toBe('0');
    await shoot(page, 'governance-desktop');
    const phone = await open('#/governance', 'phone');
    await phone.locator('[data-proposal="1"] [data-vote="yes"]', { hasText: '1' }).waitFor();
    await shoot(phone, 'governance-phone');
    await phone.close();
    await page.close();
  });

  it('finds an account by its name and shows it', async () => {
    const named = await tx(chain, 'second', ['accountid', 'register-name', 'second.operator'], 'block');
    expect(named).toMatchObject({ code: 0 });
    const page = await open('#/network');
    await page.waitForSelector('[data-testid="blocks"] tbody tr');
    await shoot(page, 'network-desktop');
    await page.fill('#search', 'second.operator');
    await page.press('#search', 'Enter');
    const hit = page.locator('[data-testid="results"] a', { hasText: 'second.operator' });
    await hit.waitFor();
    await hit.click();
    await page.waitForSelector('[data-testid="account-address"]');
    expect(await page.textContent('[data-testid="account-address"]')).toBe(chain.addr.second);
    expect(await page.textContent('[data-testid="account-name"]')).toBe('second.operator');
    await page.locator('tr[data-tx]').first().waitFor();
    await shoot(page, 'account-desktop');
    const phone = await open(page.url().slice(page.url().indexOf('#')), 'phone');
    await phone.waitForSelector('[data-testid="account-address"]');
    await shoot(phone, 'account-phone');
    const network = await open('#/network', 'phone');
    await network.waitForSelector('[data-testid="blocks"] tbody tr');
    await shoot(network, 'network-phone');
    await Promise.all([phone.close(), network.close(), page.close()]);
  });

  it('says so when the node cannot be reached', async () => {
    // A port nothing listens on: the browser logs the refused requests, which are expected here.
    const page = await browser.newPage({ viewport: VIEWPORTS.desktop });
    await page.goto(`${chain.ui}/?rpc=http://127.0.0.1:${await freePort()}#/`);
    await page.waitForSelector('[data-testid="unreachable"]');
    expect(await page.textContent('[data-testid="unreachable"]')).toMatch(/Cannot reach the node/);
    await shoot(page, 'unreachable-desktop');
    await page.close();
  });
});
