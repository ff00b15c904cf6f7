/**
 * The one environment every module's CLI commands (`x/<module>/cli.ts`) receive, and the
 * helpers they share. `sekaid-ts` (cmd/sekaid-ts/env.ts) implements `CliEnv`; a script or a
 * test passes a plain object. A module command builds its messages and hands them to the
 * environment's client: signing, fees, broadcast modes and output are the CLI's business.
 *
 *   export function fooTxCommand(env: CliEnv): Command {
 *     const tx = new Command('foo');
 *     tx.command('bar <n>').action(async (n: string, _o, cmd: Command) =>
 *       broadcast(env, cmd, [barMsg(await senderOf(env, cmd), n)]));
 *     return tx;
 *   }
 */
import type { Command } from 'commander';
import { Any } from '../proto/gen/google/protobuf/any';
import { MsgSubmitProposal } from '../proto/gen/sekai/gov/v1/tx';
import { PageRequest } from '../proto/gen/cosmos/base/query/v1beta1/pagination';
import type { Keyring } from '../keyring';
import { ErrUsage } from './errors';
import { chainClient, type ChainClient } from './moduleClient';

/** A message ready for a tx body (`Any`): its type URL and protobuf bytes. */
export interface EncodedMsg {
  typeUrl: string;
  value: Uint8Array;
}

/** What a module's `tx` and `query` commands get from the CLI. */
export interface CliEnv {
  /** Prints a result: one JSON line with `--output json`, else YAML. */
  print(value: unknown): void;
  /** The keyring the command's `--keyring-backend` / `--home` choose. */
  keyring(cmd: Command): Keyring;
  /**
   * The CLI's client, carrying every tx and query flag (`--from`, `--fees`, `--node`,
   * `--height`, broadcast mode…). Without one, commands use `defaultChainClient` over `--node`.
   */
  chainClient?(cmd: Command, fromOverride?: string): Promise<ChainClient>;
  /** The node home's consensus public key (32-byte ed25519), as `comet show-validator` prints it. */
  consensusPubKey?(): Uint8Array;
}

const BECH32_ACCOUNT = /^kira1[02-9ac-hj-np-z]+$/;

/** The `--from` flag, required for a command that signs. */
export function fromFlag(cmd: Command): string {
  const { from } = cmd.optsWithGlobals() as { from?: string };
  if (!from) throw ErrUsage.wrap('--from is required: the key that signs');
  return from;
}

/** The kira… address of `--from`: an address as given, or a keyring key's address. */
export async function senderOf(env: CliEnv, cmd: Command): Promise<string> {
  const from = fromFlag(cmd);
  return BECH32_ACCOUNT.test(from) ? from : (await env.keyring(cmd).get(from)).address;
}

/** Signs `msgs` with `--from`, broadcasts them and prints the result. */
export async function broadcast(env: CliEnv, cmd: Command, msgs: readonly EncodedMsg[]): Promise<void> {
  env.print(await (await chainClient(env, cmd)).broadcast(msgs));
}

/** ABCI query at `path` (at `--height` when given), decoded. */
export async function query<T>(env: CliEnv, cmd: Command, path: string, data: Uint8Array, decode: (b: Uint8Array) => T): Promise<T> {
  return decode(await (await chainClient(env, cmd)).query(path, data));
}

/** x/gov's `MsgSubmitProposal` around a proposal content of any module. */
export function submitProposalMsg(proposer: string, title: string, description: string, content: EncodedMsg): EncodedMsg {
  return {
    typeUrl: '/sekai.gov.v1.MsgSubmitProposal',
    value: MsgSubmitProposal.encode({ proposer, title, description, content: Any.fromPartial({ typeUrl: content.typeUrl, value: Buffer.from(content.value) }) }).finish(),
  };
}

/** Submits `content` as a governance proposal from the `--from` account and prints the result. */
export async function submitProposal(env: CliEnv, cmd: Command, p: { title: string; description: string; content: EncodedMsg }): Promise<void> {
  await broadcast(env, cmd, [submitProposalMsg(await senderOf(env, cmd), p.title, p.description, p.content)]);
}

/** The flags of `withPageFlags`, as commander hands them to the action. */
export interface PageFlags {
  limit?: string;
  offset?: string;
  pageKey?: string;
  countTotal?: boolean;
  reverse?: boolean;
}

/** A PageRequest from `--limit` / `--offset` / `--page-key` / `--count-total` / `--reverse`. */
export function pageRequest(o: PageFlags): PageRequest {
  const int = (name: string, v: string | undefined): bigint => {
    if (v === undefined) return 0n;
    if (!/^\d+$/.test(v)) throw ErrUsage.wrap(`--${name} must be a non-negative integer, got "${v}"`);
    return BigInt(v);
  };
  return {
    key: o.pageKey ? Buffer.from(o.pageKey, 'base64') : Buffer.alloc(0),
    offset: int('offset', o.offset),
    limit: int('limit', o.limit),
    countTotal: o.countTotal ?? false,
    reverse: o.reverse ?? false,
  };
}

/** Adds the pagination flags `pageRequest` reads. */
export function withPageFlags(cmd: Command): Command {
  return cmd
    .option('--limit <n>', 'page size (default 100)')
    .option('--offset <n>', 'skip this many entries')
    .option('--page-key <base64>', 'next_key of the previous page')
    .option('--count-total', 'report the total count')
    .option('--reverse', 'descending order');
}
