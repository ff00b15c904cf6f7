/**
 * `sekaid-ts keplr-config` output checked by Keplr's own chain validator (the schema
 * `experimentalSuggestChain` applies) and its RPC and REST connectivity checks against a real
 * node; the chain-registry files carry the same chain, prefix, coin type and fee steps.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkRestConnectivity, checkRPCConnectivity, validateBasicChainInfoType } from '@keplr-wallet/chain-validator';
import WebSocket from 'ws';
import { gasPriceSteps } from '../../client/walletConfig';
import { cli } from '../cli/cli';
import { startWalletNode, type WalletNode } from '../fixtures/walletNode';

jest.setTimeout(120_000);

let chain: WalletNode;
let dir: string;

beforeAll(async () => {
  chain = await startWalletNode('sekai-keplr-1');
  dir = mkdtempSync(join(tmpdir(), 'keplr-'));
});

afterAll(async () => {
  await chain?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('prices every tx at or above MIN_TX_FEE from the low step', () => {
  expect(gasPriceSteps(100n)).toEqual({ low: 0.01, average: 0.025, high: 0.04 });
  expect(gasPriceSteps(7n)).toEqual({ low: 0.0007, average: 0.00175, high: 0.0028 });
  // 10 000 gas (less than any tx uses) at the low step pays the minimum.
  expect(Math.ceil(gasPriceSteps(100n).low * 10_000)).toBeGreaterThanOrEqual(100);
});

it('prints a ChainInfo Keplr accepts and that reaches the node, and chain-registry files', async () => {
  const r = await cli(['keplr-config', '--rpc', chain.rpc.url, '--rest', chain.rest.url + '/', '--chain-id', chain.chainId, '--chain-name', 'Sekai Keplr', '--chain-registry', dir]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const info = JSON.parse(r.stdout);
  const validated = await validateBasicChainInfoType(info);
  expect(validated).toMatchObject({ chainId: 'sekai-keplr-1', bip44: { coinType: 118 }, bech32Config: { bech32PrefixAccAddr: 'kira', bech32PrefixValAddr: 'kiravaloper' } });
  expect(validated.feeCurrencies[0]).toMatchObject({ coinMinimalDenom: 'ukex', coinDecimals: 6, gasPriceStep: { low: 0.01, average: 0.025, high: 0.04 } });
  expect(info.rest).toBe(chain.rest.url);
  // Keplr opens the RPC's /websocket too (with the ws package: Node 20 has no global WebSocket).
  await checkRPCConnectivity(info.chainId, info.rpc, (url) => new WebSocket(url));
  await checkRestConnectivity(info.chainId, info.rest);

  const registry = JSON.parse(readFileSync(join(dir, 'chain.json'), 'utf8'));
  expect(registry).toMatchObject({ chain_id: 'sekai-keplr-1', bech32_prefix: 'kira', slip44: 118, apis: { rpc: [{ address: chain.rpc.url }], rest: [{ address: chain.rest.url }] } });
  expect(registry.fees.fee_tokens[0]).toMatchObject({ denom: 'ukex', low_gas_price: 0.01, average_gas_price: 0.025, high_gas_price: 0.04 });
  const assets = JSON.parse(readFileSync(join(dir, 'assetlist.json'), 'utf8'));
  expect(assets.assets[0]).toMatchObject({ base: 'ukex', display: 'kex', symbol: 'KEX', denom_units: [{ denom: 'ukex', exponent: 0 }, { denom: 'kex', exponent: 6 }] });

  const bad = await cli(['keplr-config', '--rpc', 'localhost:26657', '--rest', chain.rest.url, '--chain-id', 'x']);
  expect(bad.code).not.toBe(0);
  expect(bad.stderr).toMatch(/--rpc must be an http\(s\) URL/);
});
