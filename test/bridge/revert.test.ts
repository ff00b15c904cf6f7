/**
 * Reverting a balance sync gives back the tracked balance it replaced: exactly when
 * nothing moved since, less what withdrawals claimed since otherwise, and a claim the
 * replaced balance cannot cover is recorded as shortfall.
 */
import { EventStatus } from '../../proto/gen/sekai/bridge/v1/bridge';
import { msg, type BridgeApp, type BridgeChain } from './helpers';
import { L, U, WALLET_U, closeBridgeApp, deposit, openScenario, outsider, views } from './scenario';

let n: BridgeApp;
let chain: BridgeChain;

beforeEach(async () => {
  ({ n, chain } = await openScenario());
  await attestBy([L[0], L[1]], 'ethereum', 0n, deposit(WALLET_U, [['usdc', '5000'], ['wkex', '1000000']], [U]));
  await chain.ok([U, [msg.withdraw(U, 'ethereum', 'uusdc', '0xdest', '1000')]]);
});

afterEach(async () => {
  await closeBridgeApp(n);
});

const { events, balanceOf, attestBy, revertBy, chainState } = views(() => chain);

const sync = (usdc: string) => ({ balanceSync: { holdings: [{ denom: 'usdc', amount: usdc }] } });

test('a reverted balance sync restores the balance it replaced', async () => {
  expect(balanceOf('ethereum', 'uusdc')).toBe(4000n);
  // Holdings 9000, of which action 0 reserves 1000: the sync sets 8000.
  await attestBy([L[0], L[1]], 'ethereum', 1n, sync('9000'));
  expect(balanceOf('ethereum', 'uusdc')).toBe(8000n);
  const ev = events('ethereum').events[1];
  expect(ev.replacedBalances).toEqual([{ denom: 'uusdc', amount: '4000' }]);
  expect(ev.syncedBalances).toEqual([{ denom: 'uusdc', amount: '8000' }]);

  await revertBy([L[0], L[2]], 'ethereum', 1n);
  expect(balanceOf('ethereum', 'uusdc')).toBe(4000n);
  const reverted = events('ethereum').reverted[0];
  expect(reverted.status).toBe(EventStatus.EVENT_STATUS_REVERTED);
  expect(reverted.shortfall).toEqual([]);
  expect(chainState('ethereum').nextEventId).toBe(1n);
  // A sync that lowered the balance gives the difference back too.
  await attestBy([L[0], L[1]], 'ethereum', 1n, sync('1500'));
  expect(balanceOf('ethereum', 'uusdc')).toBe(500n);
  await revertBy([L[0], L[1]], 'ethereum', 1n);
  expect(balanceOf('ethereum', 'uusdc')).toBe(4000n);
});

test('withdrawals made after the sync stay claimed; what the replaced balance cannot cover is shortfall', async () => {
  await attestBy([L[0], L[1]], 'ethereum', 1n, sync('9000'));
  await chain.ok([U, [msg.withdraw(U, 'ethereum', 'uusdc', '0xdest', '500')]]);
  expect(balanceOf('ethereum', 'uusdc')).toBe(7500n);
  await revertBy([L[0], L[1]], 'ethereum', 1n);
  // 4000 before the sync, less the 500 claimed since.
  expect(balanceOf('ethereum', 'uusdc')).toBe(3500n);
  expect(events('ethereum').reverted[0].shortfall).toEqual([]);

  // A sync raises tracked ukex from 1 000 000 to 5 000 000 and a genesis holder withdraws
  // 4 500 000 against it: the reverted sync leaves 500 000 − 5 000 000 + 1 000 000 < 0.
  await attestBy([L[0], L[1]], 'ethereum', 1n, { balanceSync: { holdings: [{ denom: 'wkex', amount: '5000000' }] } });
  expect(balanceOf('ethereum', 'ukex')).toBe(5_000_000n);
  await chain.ok([outsider, [msg.withdraw(outsider, 'ethereum', 'ukex', '0xout', '4500000')]]);
  await revertBy([L[0], L[1]], 'ethereum', 1n);
  // The balance floors at 0 and the 3 500 000 the chain never held is recorded.
  expect(balanceOf('ethereum', 'ukex')).toBe(0n);
  expect(events('ethereum').reverted[1].shortfall).toEqual([{ denom: 'ukex', amount: '3500000' }]);
});
