/**
 * The `tx` command root and what every module's tx command shares: sekaid's flags, signing
 * with a keyring key, the y/N confirmation, broadcasting through CometBFT RPC and printing the
 * Cosmos SDK TxResponse. A module command needs one call:
 *
 *   .action(async (to, amount, _o, cmd) => runTx(env, cmd, [{ typeUrl, value }]))
 *
 * Also `tx sign | broadcast | encode | decode` for files of txs.
 */
import { Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
import type { Coin } from 'cosmjs-types/cosmos/base/v1beta1/coin';
import { AuthInfo, TxBody } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { PubKey as Secp256k1PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import {
  BROADCAST_MODES,
  abciQuery,
  ErrTxFailed,
  SECP256K1_PUBKEY_URL,
  broadcastTx,
  buildAndSign,
  checkChainId,
  connectNode,
  decodeTx,
  encodeTx,
  queryAccount,
  sekaiTypes,
  signTx,
  txFromJson,
  txToJson,
  unsignedTx,
  withMessage,
  type BroadcastMode,
  type NodeConnection,
  type SigningKey,
  type TxMessage,
  type TxResponseJson,
} from '../../client';
import { parseCoins } from '../../types/coins';
import type { SekaidEnv } from './env';
import { clientSetting, fromClientToml } from './clientSettings';
import { ErrUsage } from './errors';
import { withKeyringFlags } from './keys';

export const DEFAULT_NODE = 'tcp://localhost:26657';

/** Thrown after a command already printed its whole result (e.g. --generate-only inside a module command): exit 0. */
export class CommandDone extends Error {
  constructor() {
    super('done');
    this.name = 'CommandDone';
  }
}

/** Adds the flags of a command that talks to a node. */
export function withNodeFlag(cmd: Command): Command {
  return cmd.addOption(nodeOption());
}

/** --node, whose default comes from client.toml (read it with `nodeOf`). */
export function nodeOption(): Option {
  return new Option('--node <url>', 'CometBFT RPC endpoint: tcp://host:port or http(s)://…').default(DEFAULT_NODE, fromClientToml('node', DEFAULT_NODE));
}

/** The node a command talks to: --node, else client.toml, else tcp://localhost:26657. */
export function nodeOf(cmd: Command): string {
  return clientSetting(cmd, 'node') ?? DEFAULT_NODE;
}

/** The `tx` root with sekaid's tx flags; module commands and sign/broadcast/encode/decode go under it. */
export function txRoot(): Command {
  return withKeyringFlags(
    withNodeFlag(
      new Command('tx')
        .description('Build, sign and broadcast transactions')
        .option('--from <key>', 'key name or address that signs')
        .option('--chain-id <id>', `chain ID the tx is signed for (default: ${fromClientToml('chain-id', "the node's")})`),
    )
      .option('--fees <coins>', 'fee to pay, e.g. 100ukex')
      .option('--gas <gas>', 'gas limit, or "auto" to simulate', '200000')
      .option('--gas-adjustment <factor>', 'multiplier of the simulated gas with --gas auto', '1')
      .option('--memo <memo>', 'tx memo', '')
      .option('--timeout-height <height>', 'the tx is invalid after this block height (0: never)', '0')
      .option('-y, --yes', 'sign and broadcast without asking')
      .addOption(
        new Option('--broadcast-mode <mode>', 'sync: wait for CheckTx | async: do not wait | block: wait for the block')
          .choices([...BROADCAST_MODES])
          .default('sync', fromClientToml('broadcast-mode', 'sync')),
      )
      .option('--generate-only', 'print the unsigned tx as JSON instead of signing it (--from may be an address)')
      .option('--offline', 'do not contact a node: sign with --chain-id, --account-number and --sequence and print the signed tx')
      .option('--account-number <n>', 'account number to sign with (offline)')
      .option('--sequence <n>', 'sequence to sign with (offline)'),
  );
}

export interface TxFlags {
  node: string;
  from?: string;
  chainId?: string;
  fees: Coin[];
  gas: bigint | 'auto';
  gasAdjustment: number;
  memo: string;
  timeoutHeight: bigint;
  yes: boolean;
  mode: BroadcastMode;
  generateOnly: boolean;
  offline: boolean;
  accountNumber?: bigint;
  sequence?: bigint;
}

function uint(text: string | undefined, flag: string): bigint | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw ErrUsage.wrap(`${flag} must be a non-negative integer, got "${text}"`);
  return BigInt(text);
}

/** Reads and checks the tx flags in force for `cmd` (its own and its ancestors'). */
export function readTxFlags(cmd: Command): TxFlags {
  const o = cmd.optsWithGlobals() as Record<string, string | boolean | undefined>;
  const str = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : undefined);
  const gasText = str('gas') ?? '200000';
  let gas: bigint | 'auto';
  if (gasText === 'auto') gas = 'auto';
  else {
    const g = /^\d+$/.test(gasText) ? BigInt(gasText) : 0n;
    if (g === 0n) throw ErrUsage.wrap(`--gas must be a positive integer or "auto", got "${gasText}"`);
    gas = g;
  }
  const adj = Number(str('gasAdjustment') ?? '1');
  if (!(adj > 0) || !Number.isFinite(adj)) throw ErrUsage.wrap(`--gas-adjustment must be a positive number, got "${str('gasAdjustment')}"`);
  let fees: Coin[] = [];
  const feesText = str('fees');
  if (feesText !== undefined && feesText !== '') {
    try {
      fees = parseCoins(feesText).toProto() as unknown as Coin[];
    } catch (err) {
      throw ErrUsage.wrap(`--fees "${feesText}" is not a coin amount such as 100ukex (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  const mode = clientSetting(cmd, 'broadcastMode') ?? 'sync';
  if (!BROADCAST_MODES.includes(mode as BroadcastMode)) throw ErrUsage.wrap(`--broadcast-mode must be one of ${BROADCAST_MODES.join('|')}, got "${mode}"`);
  const flags: TxFlags = {
    node: nodeOf(cmd),
    from: str('from'),
    chainId: clientSetting(cmd, 'chainId'),
    fees,
    gas,
    gasAdjustment: adj,
    memo: str('memo') ?? '',
    timeoutHeight: uint(str('timeoutHeight') ?? '0', '--timeout-height') ?? 0n,
    yes: o.yes === true,
    mode: mode as BroadcastMode,
    generateOnly: o.generateOnly === true,
    offline: o.offline === true,
    accountNumber: uint(str('accountNumber'), '--account-number'),
    sequence: uint(str('sequence'), '--sequence'),
  };
  if (flags.offline) {
    const missing = [!flags.chainId && '--chain-id', flags.accountNumber === undefined && '--account-number', flags.sequence === undefined && '--sequence'].filter(Boolean);
    if (missing.length > 0) throw ErrUsage.wrap(`--offline needs ${missing.join(', ')}`);
    if (gas === 'auto') throw ErrUsage.wrap('--gas auto needs a node to simulate on; give a number with --offline');
  }
  return flags;
}

/** The signing key named by --from (a key name or an address in the keyring). */
export async function signingKey(env: SekaidEnv, cmd: Command, from: string | undefined): Promise<SigningKey & { name: string }> {
  if (!from) throw ErrUsage.wrap('--from is required: the name or address of the key that signs');
  const kr = env.keyring(cmd);
  const info = await kr.get(from);
  return { name: info.name, address: info.address, pubKey: info.pubKey, signer: await kr.signer(info.name) };
}

/** A broadcast result: module commands print it; as JSON it is the Cosmos SDK TxResponse. */
export class TxOutcome {
  readonly code: number;
  readonly transactionHash: string;
  readonly height: number;
  readonly rawLog: string;
  constructor(readonly response: TxResponseJson) {
    this.code = response.code;
    this.transactionHash = response.txhash;
    this.height = Number(response.height);
    this.rawLog = response.raw_log;
  }
  toJSON(): TxResponseJson {
    return this.response;
  }
}

function printJson(env: SekaidEnv, value: unknown): void {
  process.stdout.write(JSON.stringify(value, env.output() === 'json' ? undefined : null, env.output() === 'json' ? undefined : 2) + '\n');
}

async function confirm(env: SekaidEnv, txJson: unknown): Promise<void> {
  process.stderr.write(JSON.stringify(txJson) + '\n\n');
  const answer = (await env.readLine('confirm transaction before signing and broadcasting [y/N]: ')).trim().toLowerCase();
  if (answer !== 'y' && answer !== 'yes') throw ErrUsage.wrap('transaction canceled (answer y, or pass --yes)');
}

/** Connects for a tx command, mapping --node problems to one clear line. */
async function connect(flags: TxFlags): Promise<NodeConnection> {
  return connectNode(flags.node);
}

export interface RunTxOptions {
  /** Signer given as a positional argument (e.g. `tx bank send <from> …`), overriding --from. */
  from?: string;
  /** Print the TxResponse (default true). Module clients that print themselves pass false. */
  print?: boolean;
}

/**
 * Signs `msgs` with --from and broadcasts them (or prints them with --generate-only /
 * --offline), asking y/N first unless --yes. Prints the TxResponse; a tx the chain refuses
 * or fails exits non-zero with its log as the error line.
 */
export async function runTx(env: SekaidEnv, cmd: Command, msgs: readonly TxMessage[], opts: RunTxOptions = {}): Promise<TxOutcome | undefined> {
  const flags = readTxFlags(cmd);
  const from = opts.from ?? flags.from;
  const types = sekaiTypes();
  const print = opts.print ?? true;

  if (flags.generateOnly) {
    const gasLimit = flags.gas === 'auto' ? 0n : flags.gas;
    const tx = unsignedTx(types, msgs, { memo: flags.memo, fees: flags.fees, gasLimit, timeoutHeight: flags.timeoutHeight });
    printJson(env, txToJson(types, tx));
    if (!print) throw new CommandDone();
    return undefined;
  }

  const key = await signingKey(env, cmd, from);
  const conn = flags.offline ? undefined : await connect(flags);
  try {
    if (!flags.yes) {
      const gasLimit = flags.gas === 'auto' ? 0n : flags.gas;
      await confirm(env, txToJson(types, unsignedTx(types, msgs, { memo: flags.memo, fees: flags.fees, gasLimit, timeoutHeight: flags.timeoutHeight })));
    }
    const signed = await buildAndSign(conn, key, msgs, {
      chainId: flags.chainId,
      fees: flags.fees,
      gas: flags.gas,
      gasAdjustment: flags.gasAdjustment,
      memo: flags.memo,
      timeoutHeight: flags.timeoutHeight,
      account: flags.offline ? { accountNumber: flags.accountNumber!, sequence: flags.sequence! } : undefined,
      types,
    });
    if (!conn) {
      printJson(env, txToJson(types, decodeTx(signed.txBytes)));
      if (!print) throw new CommandDone();
      return undefined;
    }
    const res = await broadcastTx(conn, types, signed.txBytes, { mode: flags.mode });
    return finish(env, res, print);
  } finally {
    conn?.disconnect();
  }
}

/** Prints a TxResponse and turns a non-zero code into the one-line error. */
function finish(env: SekaidEnv, res: TxResponseJson, print: boolean): TxOutcome {
  if (print || res.code !== 0) env.print(res);
  if (res.code !== 0) {
    const where = res.codespace ? `${res.codespace} ${res.code}` : `code ${res.code}`;
    throw withMessage(ErrTxFailed, `tx ${res.txhash} failed (${where}): ${res.raw_log || 'no log'}`);
  }
  return new TxOutcome(res);
}

/**
 * The client module commands reach through `env.chainClient` (see client/cliEnv.ts):
 * queries over abci_query and broadcasts with all the tx flags. `broadcast` returns a
 * TxOutcome, which the module prints; as JSON it is the TxResponse.
 */
export function cliChainClient(env: SekaidEnv, cmd: Command, fromOverride?: string) {
  const from = () => fromOverride ?? readTxFlags(cmd).from;
  return {
    async query(path: string, data: Uint8Array): Promise<Uint8Array> {
      const o = cmd.optsWithGlobals() as { height?: string };
      const height = o.height === undefined ? undefined : Number(uint(o.height, '--height'));
      const conn = await connectNode(nodeOf(cmd));
      try {
        return await abciQuery(conn, path, data, { height });
      } finally {
        conn.disconnect();
      }
    },
    async rpc(method: string, params?: Record<string, unknown>): Promise<unknown> {
      const conn = await connectNode(nodeOf(cmd));
      try {
        return await conn.raw(method, params);
      } finally {
        conn.disconnect();
      }
    },
    async broadcast(msgs: readonly TxMessage[]) {
      const out = await runTx(env, cmd, msgs, { from: fromOverride, print: false });
      return out!;
    },
    async fromKey() {
      const k = await signingKey(env, cmd, from());
      return { name: k.name, address: k.address, pubKey: k.pubKey };
    },
    async privateKey(name: string): Promise<Uint8Array> {
      return Buffer.from(await env.keyring(cmd).exportPrivateKeyHex(name), 'hex');
    },
  };
}

function readTxFile(types: ReturnType<typeof sekaiTypes>, file: string) {
  let text: string;
  try {
    text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch {
    throw ErrUsage.wrap(`cannot read tx file ${file}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw ErrUsage.wrap(`${file} is not JSON: expected a tx as printed by --generate-only or tx sign`);
  }
  return txFromJson(types, json);
}

/** `tx sign | broadcast | encode | decode`. */
export function addTxFileCommands(env: SekaidEnv, tx: Command): void {
  tx.command('sign')
    .description('Sign a tx JSON file (from --generate-only) with --from; prints the signed tx JSON')
    .argument('<file>', 'tx JSON file, or - for stdin')
    .action(async (file: string, _o: unknown, cmd: Command) => {
      const flags = readTxFlags(cmd);
      const types = sekaiTypes();
      const tx = readTxFile(types, file);
      const key = await signingKey(env, cmd, flags.from);
      const conn = flags.offline ? undefined : await connectNode(flags.node);
      try {
        const chainId = conn ? await checkChainId(conn, flags.chainId) : flags.chainId!;
        const account = conn ? await queryAccount(conn, key.address) : { address: key.address, accountNumber: flags.accountNumber!, sequence: flags.sequence! };
        const auth = tx.authInfo ?? AuthInfo.fromPartial({});
        auth.signerInfos = [
          {
            publicKey: { typeUrl: SECP256K1_PUBKEY_URL, value: Secp256k1PubKey.encode({ key: key.pubKey }).finish() },
            modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } },
            sequence: account.sequence,
          },
        ];
        const unsigned = { bodyBytes: TxBody.encode(tx.body ?? TxBody.fromPartial({})).finish(), authInfoBytes: AuthInfo.encode(auth).finish() };
        const signedBytes = await signTx(key.signer, key.address, unsigned, chainId, account.accountNumber);
        printJson(env, txToJson(types, decodeTx(signedBytes)));
      } finally {
        conn?.disconnect();
      }
    });

  tx.command('broadcast')
    .description('Broadcast a signed tx JSON file (from tx sign or --offline)')
    .argument('<file>', 'tx JSON file, or - for stdin')
    .action(async (file: string, _o: unknown, cmd: Command) => {
      const flags = readTxFlags(cmd);
      const types = sekaiTypes();
      const tx = readTxFile(types, file);
      if (tx.signatures.length === 0) throw ErrUsage.wrap(`${file} holds an unsigned tx; sign it first with \`tx sign\``);
      const conn = await connectNode(flags.node);
      try {
        if (flags.chainId) await checkChainId(conn, flags.chainId);
        finish(env, await broadcastTx(conn, types, encodeTx(tx), { mode: flags.mode }), true);
      } finally {
        conn.disconnect();
      }
    });

  tx.command('encode')
    .description('Print a tx JSON file as base64 protobuf bytes (what broadcast_tx sends)')
    .argument('<file>', 'tx JSON file, or - for stdin')
    .action((file: string) => {
      const bytes = encodeTx(readTxFile(sekaiTypes(), file));
      process.stdout.write(Buffer.from(bytes).toString('base64') + '\n');
    });

  tx.command('decode')
    .description('Print base64 (or hex) protobuf tx bytes as tx JSON')
    .argument('<bytes>', 'base64 or hex encoded TxRaw')
    .option('--hex', 'the argument is hex')
    .action((text: string, opts: { hex?: boolean }) => {
      const bytes = opts.hex ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
      if (bytes.length === 0) throw ErrUsage.wrap('no tx bytes given');
      const types = sekaiTypes();
      const tx = decodeTx(bytes);
      printJson(env, txToJson(types, tx));
    });
}
