/** Genesis editors and the listener loop's line parsing of the bridge CLI. */
import { MsgListenerAttest } from '../../proto/gen/sekai/bridge/v1/tx';
import { CodedError } from '../../types/errors';
import { addBridgeChain, attestMsg, parseAssetFlag, setBridgeValidatorSet } from '../../cmd/sekaid-ts/bridge';
import { parseBridgeGenesis } from '../../x/bridge';
import { key } from './helpers';

const L = [key('l0'), key('l1'), key('l2')];
const A = [key('a0'), key('a1'), key('a2')];
const P = key('p');

test('bridge-set and bridge-add-chain write a section the module accepts', () => {
  const appState: Record<string, unknown> = {};
  setBridgeValidatorSet(appState, { processor: P.hex, listeners: L.map((k) => k.hex), neededListeners: 2, approvers: A.map((k) => k.hex), neededApprovers: 2 });
  addBridgeChain(appState, 'ethereum', '0xbridge', ['usdc:6:uusdc', 'erc20:0xabc:18:uweth', 'erc20:0xdef:2:acent:8']);
  const g = parseBridgeGenesis(appState.bridge);
  expect(g.set!.listeners).toHaveLength(3);
  // The local precision is 6 (as ukex) unless the flag names it.
  expect(g.chains[0].assets).toEqual([
    { externalDenom: 'usdc', decimals: 6, localDenom: 'uusdc', localDecimals: 6 },
    { externalDenom: 'erc20:0xabc', decimals: 18, localDenom: 'uweth', localDecimals: 6 },
    { externalDenom: 'erc20:0xdef', decimals: 2, localDenom: 'acent', localDecimals: 8 },
  ]);
  expect(() => addBridgeChain(appState, 'ethereum', '0x2', [])).toThrow(/already in genesis/);
  expect(() => setBridgeValidatorSet(appState, { processor: P.hex, listeners: [L[0].hex], neededListeners: 2, approvers: [A[0].hex], neededApprovers: 1 })).toThrow(
    /needed listeners is 2, must be between 1 and 1/,
  );
  expect(() => parseAssetFlag('usdc-6-uusdc')).toThrow(CodedError);
  expect(() => addBridgeChain(appState, 'solana', 'So1', ['usdc:6:uusdc:40'])).toThrow(/local_decimals: at most 36/);
});

test('a listener line becomes MsgListenerAttest with hex keys decoded', () => {
  const bytes = attestMsg('kira1x', { chain: 'ethereum', event_id: '4', event: { regular: { wallet: 'eth:0x' + '11'.repeat(20), funds: [{ denom: 'usdc', amount: '5' }], keys: [L[0].hex] } } }, 1234n);
  const m = MsgListenerAttest.decode(bytes);
  expect(m.eventId).toBe(4n);
  expect(m.createdMs).toBe(1234n);
  expect(Buffer.from(m.event!.regular!.keys[0]).toString('hex')).toBe(L[0].hex);
  expect(() => attestMsg('kira1x', { event_id: '1' }, 1n)).toThrow(/needs chain/);
});
