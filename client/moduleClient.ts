/**
 * How module CLI commands (`x/<module>/cli.ts`) reach a node. The `sekaid-ts` CLI hands
 * each module an environment whose `chainClient` carries every tx and query flag; a module
 * asks for it with `chainClient(env, cmd)`. An environment without one (a script, a test)
 * gets the default below, built on the same client library: abci_query at `--height`,
 * txs signed with a keyring key and broadcast until they are in a block.
 */
import type { Command } from 'commander';
import type { Coin } from 'cosmjs-types/cosmos/base/v1beta1/coin';
import { directSigner } from '../keyring';
import { parseCoins } from '../types/coins';
import type { CliEnv } from './cliEnv';
import { ErrInvalidTx, ErrUsage, withMessage } from './errors';
import { abciQuery } from './query';
import { sekaiTypes, type TxMessage } from './registry';
import { connectNode, withNode } from './rpc';
import { queryAccount, simulateGas } from './tx';
import { DEFAULT_GAS, adjustGas, signAndBroadcast, type SigningKey } from './txClient';

/** What a module command prints after a broadcast. */
export interface TxResult {
  code: number;
  transactionHash: string;
  height: number;
  rawLog?: string;
}

export interface ChainClient {
  /** abci_query at the command's `--height` (latest when absent). */
  query(path: string, data: Uint8Array): Promise<Uint8Array>;
  /** Signs with the --from key and broadcasts; resolves when the tx is in a block. */
  broadcast(msgs: readonly TxMessage[]): Promise<TxResult>;
  /** The --from key as the keyring knows it. */
  fromKey(): Promise<{ name: string; address: string; pubKey: Uint8Array }>;
  /** The raw private key of a keyring entry (to sign an add-key proof, a notarization). */
  privateKey(name: string): Promise<Uint8Array>;
  /** A CometBFT JSON-RPC call on `--node` (tx_search, status, net_info…): its `result`, untouched. */
  rpc?(method: string, params?: Record<string, unknown>): Promise<unknown>;
}

interface DefaultFlags {
  node: string;
  height?: string;
  from?: string;
  fees?: string;
  gas?: string;
  memo?: string;
}

/**
 * Gas price of the default client when no --fees is given: the fee is the gas (simulated,
 * ×1.3 for state that moves between simulation and execution, unless --gas N) at 0.001 ukex.
 * sekai's default MIN_TX_FEE (100ukex) is met from 100 000 gas up, which every tx uses.
 */
const DEFAULT_GAS_ADJUSTMENT = 1.3;
const DEFAULT_GAS_PRICE_MILLI = 1n;
const DEFAULT_FEE_DENOM = 'ukex';

const usage = (msg: string) => withMessage(ErrUsage, msg);

function heightOf(flags: DefaultFlags): number | undefined {
  if (flags.height === undefined) return undefined;
  if (!/^\d+$/.test(flags.height)) throw usage(`--height must be a non-negative integer, got "${flags.height}"`);
  return Number(flags.height);
}

/** The CLI's client when the environment has one, else the default over `--node` (`defaultChainClient`). */
export async function chainClient(env: Pick<CliEnv, 'keyring' | 'chainClient'>, cmd: Command, fromOverride?: string): Promise<ChainClient> {
  if (env.chainClient) return env.chainClient(cmd, fromOverride);
  return defaultChainClient(env, cmd, fromOverride);
}

/** A client over `--node` that signs with a keyring key: abci_query at `--height`, txs until they are in a block. */
export function defaultChainClient(env: Pick<CliEnv, 'keyring'>, cmd: Command, fromOverride?: string): ChainClient {
  const flags = { ...(cmd.optsWithGlobals() as DefaultFlags), ...(fromOverride ? { from: fromOverride } : {}) };
  const keyring = () => env.keyring(cmd);
  const fromKey = async () => {
    if (!flags.from) throw usage('--from is required: the key that signs');
    const k = await keyring().get(flags.from);
    return { name: k.name, address: k.address, pubKey: k.pubKey };
  };
  const privateKey = async (name: string) => Uint8Array.from(Buffer.from(await keyring().exportPrivateKeyHex(name), 'hex'));
  return {
    fromKey,
    privateKey,
    query: (path, data) => withNode(flags.node, (conn) => abciQuery(conn, path, data, { height: heightOf(flags) })),
    rpc: (method, params) => withNode(flags.node, (conn) => conn.raw(method, params)),
    async broadcast(msgs) {
      const k = await fromKey();
      const key: SigningKey = { address: k.address, pubKey: k.pubKey, signer: directSigner(await privateKey(k.name)) };
      const conn = await connectNode(flags.node);
      try {
        const types = sekaiTypes();
        // --gas N is used as given; --gas auto, or no --fees, simulates.
        let gas = flags.gas && flags.gas !== 'auto' ? parseGas(flags.gas) : undefined;
        if (gas === undefined && (!flags.fees || flags.gas === 'auto')) {
          const account = await queryAccount(conn, key.address);
          gas = adjustGas(await simulateGas(conn, types, { msgs, memo: flags.memo, pubKey: key.pubKey, sequence: account.sequence }), DEFAULT_GAS_ADJUSTMENT);
        }
        gas ??= DEFAULT_GAS;
        const fees: Coin[] = flags.fees
          ? parseCoins(flags.fees).toProto()
          : [{ denom: DEFAULT_FEE_DENOM, amount: ((gas * DEFAULT_GAS_PRICE_MILLI + 999n) / 1000n).toString() }];
        const res = await signAndBroadcast(conn, key, msgs, { fees, gas, memo: flags.memo, mode: 'block', types });
        return { code: res.code, transactionHash: res.txhash, height: Number(res.height), rawLog: res.raw_log };
      } finally {
        conn.disconnect();
      }
    },
  };
}

function parseGas(text: string): bigint {
  if (!/^[1-9][0-9]*$/.test(text)) throw ErrInvalidTx.wrap(`--gas must be a positive integer or auto, got "${text}"`);
  return BigInt(text);
}
