/**
 * Genesis of x/accountid and x/bank: the `add-genesis-account` shape is accepted, export
 * then import on a fresh chain reproduces the same state (equal AppHash), and malformed
 * sections are refused naming the field.
 */
import { rmSync } from 'node:fs';
import { Chain, genesisState, key, msg, openApp, signTx, tempDir } from './helpers';
import { appModules } from '../../app/app';
import { defaultAccountEditor } from '../../cmd/sekaid-ts/genesisEditors';
import { parseCoins } from '../../types/coins';

const a = key('g-a');
const b = key('g-b');
const c = key('g-c');
const d = key('g-d');

test('export then import on a fresh chain reproduces every record, index and balance', async () => {
  const d1 = tempDir('gen1');
  const d2 = tempDir('gen2');
  const one = new Chain(await openApp(d1));
  one.initChain(genesisState([a.address, b.address]));
  await one.block([]);
  // Names, a second key, a removed key (retired address), a fresh account.
  const txs = [
    signTx(a, [msg.registerName(a.address, 'alpha'), msg.addKey(a.address, 0n, c), msg.addKey(a.address, 0n, d), msg.send(a.address, key('g-new').address, '500')], { accountNumber: 0n, sequence: 0n }),
  ];
  expect((await one.block(txs)).results.map((r) => r.code)).toEqual([0]);
  const rm = signTx(c, [msg.removeKey(c.address, d.pub)], { accountNumber: 0n, sequence: 1n });
  expect((await one.block([rm])).results.map((r) => r.code)).toEqual([0]);
  const exported = one.app.exportGenesis();
  const accounts = (exported.accountid as { accounts: { retired_addresses?: string[] }[] }).accounts;
  expect(accounts[0].retired_addresses).toEqual([d.address]);

  const two = new Chain(await openApp(d2));
  two.initChain(JSON.parse(JSON.stringify(exported)));
  await two.block([]);
  expect(two.app.exportGenesis()).toEqual(exported);
  expect(two.invariants()).toEqual([]);
  // The retired address still resolves to account 0 on the new chain; its key cannot sign.
  const moved = signTx(d, [msg.send(d.address, b.address, '1')], { accountNumber: 0n, sequence: 2n });
  const res = (await two.block([moved])).results[0];
  expect([res.codespace, res.code]).toEqual(['sdk', 8]);
  await one.s.store.close();
  await two.s.store.close();
  rmSync(d1, { recursive: true, force: true });
  rmSync(d2, { recursive: true, force: true });
});

test('the CLI add-genesis-account shape validates and initialises', () => {
  const appState: Record<string, unknown> = {};
  defaultAccountEditor.addAccount(appState, a.address, parseCoins('100ukex'));
  defaultAccountEditor.addAccount(appState, b.address, parseCoins('5ukex,7uatom'));
  expect(() => appModules().validateGenesis(appState)).not.toThrow();
});

test.each([
  ['duplicate account_number', { accountid: { accounts: [{ address: a.address, account_number: '0' }, { address: b.address, account_number: '0' }] } }, /accountid.accounts\[1\].account_number/],
  ['bad address', { accountid: { accounts: [{ address: 'kira1nope', account_number: '0' }] } }, /accountid.accounts\[0\].address/],
  ['reserved name', { accountid: { accounts: [{ address: a.address, account_number: '0', name: 'fee@sys' }] } }, /accountid.accounts\[0\].name/],
  ['supply mismatch', { bank: { balances: [{ address: a.address, coins: [{ denom: 'ukex', amount: '5' }] }], supply: [{ denom: 'ukex', amount: '6' }] } }, /bank.supply/],
  ['negative cap', { bank: { params: { send_cap: '-1' }, balances: [] } }, /bank.params.send_cap/],
])('refuses %s', (_l, state, field) => {
  expect(() => appModules().validateGenesis(state)).toThrow(field);
});
