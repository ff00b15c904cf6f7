/**
 * How x/notarypay's commands reach a node: ABCI queries and block headers over CometBFT
 * RPC, and signed txs with a keyring key through cosmjs (with sekai's notary messages in
 * the registry).
 */
import { Registry, type EncodeObject, type GeneratedType } from '@cosmjs/proto-signing';
import { GasPrice, SigningStargateClient, defaultRegistryTypes } from '@cosmjs/stargate';
import { Comet38Client } from '@cosmjs/tendermint-rpc';
import type { Command } from 'commander';
import { directSigner, type Keyring } from '../../keyring';
import { MsgNotarize, MsgSetPubkey } from '../../proto/gen/sekai/notarypay/v1/tx';
import { CodedError } from '../../types/errors';
import { rpcUrl } from '../../client/rpc';
import { NotaryPayTypeUrls } from './msgServer';

export interface NotaryCliEnv {
  print(value: unknown, text?: string): void;
  keyring(cmd: Command): Keyring;
}

export interface BroadcastResult {
  code: number;
  transactionHash: string;
  height: number;
  rawLog?: string;
}

export function notaryRegistry(): Registry {
  return new Registry([
    ...defaultRegistryTypes,
    [NotaryPayTypeUrls.notarize, MsgNotarize as GeneratedType],
    [NotaryPayTypeUrls.setPubkey, MsgSetPubkey as GeneratedType],
  ]);
}

export interface NodeFlags {
  node: string;
  fees?: string;
  gas?: string;
  memo?: string;
}

/** An ABCI query; a non-zero code becomes a CodedError with the node's log. */
export async function abciQuery(node: string, path: string, data: Uint8Array): Promise<Uint8Array> {
  const rpc = await Comet38Client.connect(rpcUrl(node));
  try {
    const res = await rpc.abciQuery({ path, data });
    if (res.code !== 0) throw new CodedError(res.codespace ?? '', res.code ?? 1, res.log ?? '', res.log ?? `query failed with code ${res.code}`);
    return res.value;
  } finally {
    rpc.disconnect();
  }
}

/** The chain id, the latest height, and the AppHash committed at `height` (header of height+1). */
export async function appHashAt(node: string, height: number): Promise<{ chainId: string; latest: number; appHash: Uint8Array }> {
  const rpc = await Comet38Client.connect(rpcUrl(node));
  try {
    const status = await rpc.status();
    const latest = status.syncInfo.latestBlockHeight;
    if (height + 1 > latest) throw new CodedError('cli', 2, 'invalid usage', `the app hash of height ${height} is known from block ${height + 1}; the node is at ${latest}`);
    const block = await rpc.block(height + 1);
    return { chainId: status.nodeInfo.network, latest, appHash: block.block.header.appHash };
  } finally {
    rpc.disconnect();
  }
}

/** Signs msgs with a keyring key and broadcasts; resolves when the tx is in a block. */
export async function broadcastWithKey(keyring: Keyring, keyName: string, flags: NodeFlags, msgs: EncodeObject[]): Promise<BroadcastResult> {
  const key = await keyring.get(keyName);
  const signer = directSigner(Buffer.from(await keyring.exportPrivateKeyHex(key.name), 'hex'));
  const client = await SigningStargateClient.connectWithSigner(rpcUrl(flags.node), signer, { registry: notaryRegistry(), gasPrice: GasPrice.fromString('0.001ukex') });
  try {
    const fee = flags.fees
      ? { amount: [{ denom: flags.fees.replace(/^[0-9]+/, ''), amount: flags.fees.replace(/[^0-9].*$/, '') }], gas: flags.gas && flags.gas !== 'auto' ? flags.gas : '200000' }
      : 'auto';
    const res = await client.signAndBroadcast(key.address, msgs, fee, flags.memo ?? '');
    return { code: res.code, transactionHash: res.transactionHash, height: res.height, rawLog: res.rawLog };
  } finally {
    client.disconnect();
  }
}

/** The node's latest committed height. */
export async function latestHeight(node: string): Promise<number> {
  const rpc = await Comet38Client.connect(rpcUrl(node));
  try {
    return (await rpc.status()).syncInfo.latestBlockHeight;
  } finally {
    rpc.disconnect();
  }
}
