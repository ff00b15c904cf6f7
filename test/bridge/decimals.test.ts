/**
 * Decimals through signed txs: deposits scale external amounts to the local denom's
 * precision (dust recorded, never minted), withdrawals scale back in the action payload,
 * and a withdrawal finer than the external precision is refused before anything burns.
 */
import { actionPayload, BridgeErrors as E } from '../../x/bridge';
import { CHAIN_ID, msg, type BridgeApp, type BridgeChain } from './helpers';
import { L, U, WALLET_U, closeBridgeApp, deposit, openScenario, views } from './scenario';

let n: BridgeApp;
let chain: BridgeChain;

beforeEach(async () => {
  ({ n, chain } = await openScenario());
});

afterEach(async () => {
  await closeBridgeApp(n);
});

const { events, actions, balanceOf, attestBy, queue } = views(() => chain);

/** The u256 amount at the end of a transfer payload. */
const payloadAmount = (payload: Uint8Array) => BigInt('0x' + Buffer.from(payload.subarray(payload.length - 32)).toString('hex'));

test('deposits scale down with dust recorded and up exactly; withdrawals scale back to external units', async () => {
  // 1.5 weth and 7 wei (18 decimals → 6 locally); 2.50 cents (2 → 6); gas money in wkex.
  await attestBy([L[0], L[1]], 'ethereum', 0n, deposit(WALLET_U, [['weth', '1500000000000000007'], ['cents', '250'], ['wkex', '1000000']], [U]));
  const ev = events('ethereum').events[0];
  expect(ev.minted).toEqual([
    { denom: 'ucent', amount: '2500000' },
    { denom: 'ukex', amount: '1000000' },
    { denom: 'uweth', amount: '1500000' },
  ]);
  expect(ev.dust).toEqual([{ denom: 'weth', amount: '7' }]);
  expect(ev.unclaimed).toEqual([]);
  expect(chain.balance(U.address, 'uweth')).toBe(1_500_000n);
  expect(chain.balance(U.address, 'ucent')).toBe(2_500_000n);
  expect(balanceOf('ethereum', 'uweth')).toBe(1_500_000n);

  // A deposit below one local unit mints nothing: all of it is dust, none is lost.
  await attestBy([L[0], L[1]], 'ethereum', 1n, deposit(WALLET_U, [['weth', '999999999999']], []));
  const small = events('ethereum').events[1];
  expect(small.minted).toEqual([]);
  expect(small.dust).toEqual([{ denom: 'weth', amount: '999999999999' }]);
  expect(chain.balance(U.address, 'uweth')).toBe(1_500_000n);

  // 1 uweth leaves as 10^12 wei; 1.00 cent (10 000 ucent) leaves as 1.
  await chain.ok([U, [msg.withdraw(U, 'ethereum', 'uweth', '0xdest', '1000000'), msg.withdraw(U, 'ethereum', 'ucent', '0xdest', '10000')]]);
  const [weth, cent] = actions('ethereum').actions;
  expect(weth.body!.transfer).toMatchObject({ amount: '1000000', localDenom: 'uweth', externalDenom: 'weth', externalAmount: '1000000000000000000' });
  expect(cent.body!.transfer).toMatchObject({ amount: '10000', localDenom: 'ucent', externalDenom: 'cents', externalAmount: '1' });
  expect(payloadAmount(weth.payload)).toBe(10n ** 18n);
  expect(payloadAmount(cent.payload)).toBe(1n);
  expect(Buffer.from(weth.payload)).toEqual(Buffer.from(actionPayload({ chainId: CHAIN_ID, chain: 'ethereum', contract: '0xbridge', actionId: 0n }, weth.body!)));
  expect(balanceOf('ethereum', 'uweth')).toBe(500_000n);
  expect(chain.balance(U.address, 'ucent')).toBe(2_490_000n);

  // 1 ucent is a ten-thousandth of a cent: not representable, refused, nothing burned.
  const supply = chain.supply('ucent');
  const log = await chain.refuse(U, [msg.withdraw(U, 'ethereum', 'ucent', '0xdest', '10001')], E.ErrUnrepresentableAmount);
  expect(log).toMatch(/10001ucent is not a multiple of 10000/);
  expect(chain.supply('ucent')).toBe(supply);
  expect(chain.balance(U.address, 'ucent')).toBe(2_490_000n);
  expect(queue('ethereum')).toEqual([]);
});

test('a balance sync counts holdings at local precision, the remainder as dust', async () => {
  await attestBy([L[0], L[1]], 'ethereum', 0n, { balanceSync: { holdings: [{ denom: 'weth', amount: '2000000000000000123' }, { denom: 'cents', amount: '3' }] } });
  const ev = events('ethereum').events[0];
  expect(ev.dust).toEqual([{ denom: 'weth', amount: '123' }]);
  expect(balanceOf('ethereum', 'uweth')).toBe(2_000_000n);
  expect(balanceOf('ethereum', 'ucent')).toBe(30_000n);
});
