/**
 * Komodo's 1 000 000-coin cap (seed 001: "can't send more than 1 million coins at once"), on
 * bridged assets: a bridged asset gets bank metadata with its decimals, so the cap counts
 * whole tokens; a withdrawal (the cross-chain export the cap exists for) is capped; and
 * the cap holds per tx, however the amount is split over messages.
 */
import { CheckTxType } from 'cosmjs-types/tendermint/abci/types';
import { BankErrors } from '../../x/bank';
import { BridgeErrors as E } from '../../x/bridge';
import { displayExponent } from '../../x/bank/keeper';
import { BridgeChain, msg, type BridgeApp } from './helpers';
import { L, U, V, WALLET_U, closeBridgeApp, deposit, openScenario, views } from './scenario';

let n: BridgeApp;
let chain: BridgeChain;

beforeEach(async () => {
  ({ n, chain } = await openScenario());
});

afterEach(async () => {
  await closeBridgeApp(n);
});

const { attestBy } = views(() => chain);
const USDC = 1_000_000n; // uusdc per USDC (6 decimals)
const check = (tx: Uint8Array) => n.app.checkTx({ tx, type: CheckTxType.NEW });

test('a bridged 6-decimal asset carries its decimals: 2 000 000 uusdc (2 USDC) moves, the cap is 10^12 uusdc', async () => {
  const ctx = chain.readContext();
  expect(displayExponent(n.bank.metadata(ctx, 'uusdc'))).toBe(6);
  expect(n.bank.sendCapOf(ctx, 'uusdc')).toBe(1_000_000n * USDC);
  // ucent: 6 local decimals too; ukex keeps the KEX metadata genesis gave it.
  expect(displayExponent(n.bank.metadata(ctx, 'ucent'))).toBe(6);

  await attestBy([L[0], L[1]], 'ethereum', 0n, deposit(WALLET_U, [['usdc', String(3n * USDC)], ['wkex', '1000000']], [U]));
  expect(chain.balance(WALLET_U, 'uusdc')).toBe(3n * USDC);
  await chain.ok([U, [msg.send(U, V.address, 'uusdc', String(2n * USDC))]]);
  expect(chain.balance(V.address, 'uusdc')).toBe(2n * USDC);
});

test('a withdrawal of 1 000 001 USDC is refused at CheckTx and in a block; the cap holds per tx', async () => {
  await attestBy([L[0], L[1]], 'ethereum', 0n, deposit(WALLET_U, [['usdc', '5000'], ['wkex', '1000000']], [U]));
  const over = String(1_000_001n * USDC);
  const withdraw = chain.sign(U, [msg.withdraw(U, 'ethereum', 'uusdc', '0xdest', over)]);
  const c = check(withdraw);
  expect({ codespace: c.codespace, code: c.code }).toEqual({ codespace: 'bridge', code: E.ErrOverExportCap.code });
  expect(c.log).toMatch(/1000001000000uusdc is above the cap of 1000000000000uusdc per withdrawal/);
  await chain.refuse(U, [msg.withdraw(U, 'ethereum', 'uusdc', '0xdest', over)], E.ErrOverExportCap);

  // Exactly the cap passes CheckTx (the balance is judged in the block); a commit resets
  // the check state it took a sequence in.
  expect(check(chain.sign(U, [msg.withdraw(U, 'ethereum', 'uusdc', '0xdest', String(1_000_000n * USDC))])).code).toBe(0);
  await chain.block([]);

  // Two sends of 600 000 USDC in one tx: 1 200 000 USDC at once.
  const half = String(600_000n * USDC);
  const split = [msg.send(U, V.address, 'uusdc', half), msg.send(U, V.address, 'uusdc', half)];
  const s = check(chain.sign(U, split));
  expect({ codespace: s.codespace, code: s.code }).toEqual({ codespace: 'bank', code: BankErrors.ErrOverSendCap.code });
  expect(s.log).toMatch(/2 transfers move 1200000000000uusdc in total, above the cap of 1000000000000uusdc per tx/);
  // Two withdrawals likewise.
  const w = check(chain.sign(U, [msg.withdraw(U, 'ethereum', 'uusdc', '0xa', half), msg.withdraw(U, 'ethereum', 'uusdc', '0xb', half)]));
  expect({ codespace: w.codespace, code: w.code }).toEqual({ codespace: 'bridge', code: E.ErrOverExportCap.code });
  // In a block the split send fails with the fee paid and nothing moved.
  const before = chain.balance(WALLET_U, 'ukex');
  const r = await chain.block([chain.sign(U, split)]);
  expect({ codespace: r.results[0].codespace, code: r.results[0].code }).toEqual({ codespace: 'bank', code: BankErrors.ErrOverSendCap.code });
  expect(chain.balance(WALLET_U, 'ukex')).toBe(before - 200n);
  expect(chain.balance(WALLET_U, 'uusdc')).toBe(5000n);
});
