/**
 * How module CLI commands reach a node: ABCI queries and signed txs over CometBFT RPC,
 * with cosmjs (the same client wallets use) and a key from the CLI keyring. The CLI may
 * supply its own client through `env.chainClient`; this is the default.
 */
import { Registry, type EncodeObject, type GeneratedType } from '@cosmjs/proto-signing';
import { SigningStargateClient, defaultRegistryTypes, GasPrice } from '@cosmjs/stargate';
import { Comet38Client } from '@cosmjs/tendermint-rpc';
import type { Command } from 'commander';
import { directSigner, type Keyring } from '../../keyring';
import { CodedError } from '../../types/errors';
import {
  MsgAddKey,
  MsgLinkWallet,
  MsgRegisterName,
  MsgRemoveKey,
  MsgTransferName,
  MsgUnlinkWallet,
} from '../../proto/gen/sekai/accountid/v1/tx';
import { TypeUrls } from './msgServer';

export interface TxResult {
  code: number;
  transactionHash: string;
  height: number;
  rawLog?: string;
}

export interface ChainClient {
  query(path: string, data: Uint8Array): Promise<Uint8Array>;
  /** Signs with the --from key and broadcasts; resolves when the tx is in a block. */
  broadcast(msgs: EncodeObject[]): Promise<TxResult>;
  /** The --from key as the keyring knows it. */
  fromKey(): Promise<{ name: string; address: string; pubKey: Uint8Array }>;
  /** The raw private key of a keyring entry (to sign an add-key proof). */
  privateKey(name: string): Promise<Uint8Array>;
}

/** The part of the CLI environment module commands use. */
export interface ModuleCliEnv {
  print(value: unknown, text?: string): void;
  keyring(cmd: Command): Keyring;
  chainClient?(cmd: Command, fromOverride?: string): Promise<ChainClient>;
}

/** Registry of the default cosmjs types plus sekai's own messages. */
export function sekaiRegistry(): Registry {
  const types: [string, GeneratedType][] = [
    ...defaultRegistryTypes,
    [TypeUrls.registerName, MsgRegisterName as GeneratedType],
    [TypeUrls.addKey, MsgAddKey as GeneratedType],
    [TypeUrls.removeKey, MsgRemoveKey as GeneratedType],
    [TypeUrls.linkWallet, MsgLinkWallet as GeneratedType],
    [TypeUrls.unlinkWallet, MsgUnlinkWallet as GeneratedType],
    [TypeUrls.transferName, MsgTransferName as GeneratedType],
  ];
  return new Registry(types);
}

interface TxFlags {
  node: string;
  from?: string;
  fees?: string;
  gas?: string;
  memo?: string;
}

/** The default client: CometBFT RPC at --node, signing with --from from the keyring. */
export async function chainClient(env: ModuleCliEnv, cmd: Command, fromOverride?: string): Promise<ChainClient> {
  if (env.chainClient) return env.chainClient(cmd, fromOverride);
  const flags = { ...(cmd.optsWithGlobals() as TxFlags), ...(fromOverride ? { from: fromOverride } : {}) };
  const keyring = () => env.keyring(cmd);
  const fromKey = async () => {
    if (!flags.from) throw new CodedError('cli', 2, 'invalid usage', '--from is required: the key that signs');
    const k = await keyring().get(flags.from);
    return { name: k.name, address: k.address, pubKey: k.pubKey };
  };
  const privateKey = async (name: string) => Buffer.from(await keyring().exportPrivateKeyHex(name), 'hex');
  return {
    fromKey,
    privateKey,
    async query(path, data) {
      const rpc = await Comet38Client.connect(flags.node);
      try {
        const res = await rpc.abciQuery({ path, data });
        if (res.code !== 0) throw new CodedError(res.codespace ?? '', res.code ?? 1, res.log ?? '', res.log ?? `query failed with code ${res.code}`);
        return res.value;
      } finally {
        rpc.disconnect();
      }
    },
    async broadcast(msgs) {
      const key = await fromKey();
      const signer = directSigner(await privateKey(key.name));
      const client = await SigningStargateClient.connectWithSigner(flags.node, signer, { registry: sekaiRegistry(), gasPrice: GasPrice.fromString('0.001ukex') });
      try {
        const fee = flags.fees
          ? { amount: [{ denom: flags.fees.replace(/^[0-9]+/, ''), amount: flags.fees.replace(/[^0-9].*$/, '') }], gas: flags.gas && flags.gas !== 'auto' ? flags.gas : '200000' }
          : 'auto';
        const res = await client.signAndBroadcast(key.address, msgs, fee, flags.memo ?? '');
        return { code: res.code, transactionHash: res.transactionHash, height: res.height, rawLog: res.rawLog };
      } finally {
        client.disconnect();
      }
    },
  };
}
