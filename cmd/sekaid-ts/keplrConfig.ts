/**
 * `sekaid-ts keplr-config --rpc URL --rest URL`: prints the chain's Keplr `ChainInfo` (JSON for
 * `window.keplr.experimentalSuggestChain`); `--chain-registry DIR` also writes `chain.json` and
 * `assetlist.json` in the cosmos chain-registry schema. The chain ID and MIN_TX_FEE come from
 * the home's genesis unless given.
 */
import { Command } from 'commander';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keplrChainInfo, registryAssets, registryChain, type WalletConfigOptions } from '../../client/walletConfig';
import { readJsonFile } from '../../node/config';
import type { SekaidEnv } from './env';
import { ErrUsage } from './errors';

interface Options {
  rpc: string;
  rest: string;
  chainId?: string;
  chainName?: string;
  minTxFee?: string;
  chainRegistry?: string;
}

function httpUrl(v: string, flag: string): string {
  if (!/^https?:\/\/[^\s/]+/.test(v)) throw ErrUsage.wrap(`${flag} must be an http(s) URL such as https://rpc.example.com, got "${v}"`);
  return v.replace(/\/+$/, '');
}

export function keplrConfigCommand(env: SekaidEnv): Command {
  return new Command('keplr-config')
    .description("Print the chain's Keplr ChainInfo (and, with --chain-registry, chain-registry chain.json and assetlist.json)")
    .requiredOption('--rpc <url>', 'public CometBFT RPC URL wallets use')
    .requiredOption('--rest <url>', 'public REST (LCD) URL wallets use')
    .option('--chain-id <id>', 'chain ID (default: from the home genesis)')
    .option('--chain-name <name>', 'display name (default: the chain ID)')
    .option('--min-tx-fee <ukex>', 'MIN_TX_FEE in ukex (default: from the home genesis, else 100)')
    .option('--chain-registry <dir>', 'also write chain.json and assetlist.json into this directory')
    .action((o: Options) => {
      const genesisPath = env.layout().genesis;
      const genesis = existsSync(genesisPath) ? (readJsonFile(genesisPath) as { chain_id?: string; app_state?: { customgov?: { network_properties?: { min_tx_fee?: string } } } }) : undefined;
      const chainId = o.chainId ?? genesis?.chain_id;
      if (!chainId) throw ErrUsage.wrap(`no genesis at ${genesisPath}: give --chain-id`);
      const fee = o.minTxFee ?? genesis?.app_state?.customgov?.network_properties?.min_tx_fee ?? '100';
      if (!/^\d{1,18}$/.test(String(fee)) || BigInt(fee) === 0n) throw ErrUsage.wrap(`--min-tx-fee must be a positive whole number of ukex, got "${fee}"`);
      const opts: WalletConfigOptions = { chainId, chainName: o.chainName, rpc: httpUrl(o.rpc, '--rpc'), rest: httpUrl(o.rest, '--rest'), minTxFee: BigInt(fee) };
      if (o.chainRegistry) {
        mkdirSync(o.chainRegistry, { recursive: true });
        writeFileSync(join(o.chainRegistry, 'chain.json'), JSON.stringify(registryChain(opts), null, 2) + '\n');
        writeFileSync(join(o.chainRegistry, 'assetlist.json'), JSON.stringify(registryAssets(opts), null, 2) + '\n');
      }
      process.stdout.write(JSON.stringify(keplrChainInfo(opts), null, 2) + '\n');
    });
}
