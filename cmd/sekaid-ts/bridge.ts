/**
 * x/bridge on the command line, beside the module's own tx/query commands:
 *
 *   genesis bridge-set --processor <key> --listeners k1,k2,k3 --needed-listeners 2
 *                      --approvers a1,a2,a3 --needed-approvers 2
 *   genesis bridge-add-chain <name> --contract <address> --asset <external-denom>:<decimals>:<local-denom>[:<local-decimals>] …
 *   bridge listener [--file events.jsonl]   one attestation per line:
 *       {"chain": "ethereum", "event_id": "0", "event": {"regular": {"wallet": "eth:0x…", "funds": [...], "keys": ["02…"]}}}
 *   bridge approver [--file actions.jsonl] [--processor]   one action per line:
 *       {"chain": "ethereum", "action_id": "0"}
 *
 * The loops are reference operators: wire a chain watcher's output (or a queue of new
 * actions) to their input. Each line is signed with --from and broadcast; a failed line
 * is reported and the loop goes on, so one bad event does not stop the stream.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Command } from 'commander';
import { readJsonFile, writeJsonFile, validateGenesisDoc, EMPTY_GENESIS_REGISTRY, type GenesisDoc } from '../../node/config';
import * as Tx from '../../proto/gen/sekai/bridge/v1/tx';
import * as Q from '../../proto/gen/sekai/bridge/v1/query';
import { CodedError } from '../../types/errors';
import {
  BridgeQueryPaths,
  BridgeTypeUrls,
  actionPayload,
  bridgeSession,
  chainFromJson,
  chainToJson,
  eventFromJson,
  queryAction,
  signBridgeBytes,
  validatorSetFromJson,
  validatorSetToJson,
  type BridgeSession,
  type ChainJson,
} from '../../x/bridge';
import { nowMs } from '../../client/clock';
import type { SekaidEnv } from './env';
import { ErrUsage } from './errors';

type AppState = Record<string, unknown>;

function section(appState: AppState): { validator_set: unknown; chains: ChainJson[] } {
  const s = (appState.bridge ?? { validator_set: null, chains: [] }) as { validator_set: unknown; chains: ChainJson[] };
  s.chains ??= [];
  appState.bridge = s;
  return s;
}

const list = (text: string) => text.split(',').map((s) => s.trim()).filter((s) => s !== '');

function intFlag(text: string, name: string): number {
  if (!/^[0-9]{1,5}$/.test(text)) throw ErrUsage.wrap(`${name} must be a small non-negative integer, got ${text}`);
  return Number(text);
}

/** Sets app_state.bridge.validator_set; checked as the chain checks it (keys sorted). */
export function setBridgeValidatorSet(appState: AppState, o: { processor: string; listeners: string[]; neededListeners: number; approvers: string[]; neededApprovers: number }): void {
  const set = validatorSetFromJson({
    processor: o.processor,
    listeners: o.listeners,
    needed_listeners: o.neededListeners,
    approvers: o.approvers,
    needed_approvers: o.neededApprovers,
  });
  section(appState).validator_set = validatorSetToJson(set);
}

/**
 * Parses `<external-denom>:<decimals>:<local-denom>[:<local-decimals>]` (the external denom
 * may itself contain ':'); the local precision defaults to 6, as ukex.
 */
export function parseAssetFlag(text: string): { external_denom: string; decimals: number; local_denom: string; local_decimals?: number } {
  const m = /^(.+):([0-9]{1,2}):([^:]+?)(?::([0-9]{1,2}))?$/.exec(text);
  if (!m) throw ErrUsage.wrap(`--asset ${JSON.stringify(text)} is not <external-denom>:<decimals>:<local-denom>[:<local-decimals>]`);
  const asset = { external_denom: m[1], decimals: Number(m[2]), local_denom: m[3] };
  return m[4] === undefined ? asset : { ...asset, local_decimals: Number(m[4]) };
}

/** Adds a chain to app_state.bridge.chains; a second chain of the same name is refused. */
export function addBridgeChain(appState: AppState, name: string, contract: string, assets: string[]): void {
  const s = section(appState);
  if (s.chains.some((c) => c.name === name)) throw ErrUsage.wrap(`chain ${name} is already in genesis`);
  const cfg = chainFromJson({ name, contract, assets: assets.map(parseAssetFlag) }, `chains[${s.chains.length}]`);
  s.chains.push(chainToJson(cfg));
}

function editGenesis(env: SekaidEnv, edit: (appState: AppState) => void): GenesisDoc {
  const path = env.layout().genesis;
  const doc = validateGenesisDoc(readJsonFile(path), EMPTY_GENESIS_REGISTRY);
  edit(doc.app_state as AppState);
  validateGenesisDoc(doc, env.genesisRegistry);
  writeJsonFile(path, doc);
  return doc;
}

/** `genesis bridge-set` and `genesis bridge-add-chain`. */
export function bridgeGenesisCommands(env: SekaidEnv): Command[] {
  const set = new Command('bridge-set')
    .description('Set the bridge validator set (keys: 66-hex-digit compressed secp256k1)')
    .requiredOption('--processor <key>')
    .requiredOption('--listeners <keys>', 'comma-separated')
    .requiredOption('--needed-listeners <n>')
    .requiredOption('--approvers <keys>', 'comma-separated')
    .requiredOption('--needed-approvers <n>')
    .action((o: { processor: string; listeners: string; neededListeners: string; approvers: string; neededApprovers: string }) => {
      const doc = editGenesis(env, (s) =>
        setBridgeValidatorSet(s, {
          processor: o.processor,
          listeners: list(o.listeners),
          neededListeners: intFlag(o.neededListeners, '--needed-listeners'),
          approvers: list(o.approvers),
          neededApprovers: intFlag(o.neededApprovers, '--needed-approvers'),
        }),
      );
      const v = (doc.app_state as AppState).bridge as { validator_set: unknown };
      env.print(v.validator_set);
    });
  const add = new Command('bridge-add-chain')
    .description('Add an external chain with its bridge contract and assets')
    .argument('<name>')
    .option('--contract <address>', 'bridge contract address (empty until instantiated)', '')
    .option('--asset <spec>', '<external-denom>:<decimals>:<local-denom>[:<local-decimals>] (local precision 6 unless given), repeatable', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .action((name: string, o: { contract: string; asset: string[] }) => {
      editGenesis(env, (s) => addBridgeChain(s, name, o.contract, o.asset));
      env.print({ name, contract: o.contract, assets: o.asset });
    });
  return [set, add];
}

/** JSON lines from a file, or stdin when no file is given. */
async function* jsonLines(file: string | undefined): AsyncGenerator<{ line: number; value: unknown }> {
  const rl = createInterface({ input: file ? createReadStream(file) : process.stdin, crlfDelay: Infinity });
  let n = 0;
  for await (const text of rl) {
    n += 1;
    if (text.trim() === '') continue;
    try {
      yield { line: n, value: JSON.parse(text) };
    } catch (err) {
      yield { line: n, value: new CodedError('cli', 2, 'invalid usage', `line ${n}: ${(err as Error).message}`) };
    }
  }
}

export interface LoopStats {
  sent: number;
  failed: number;
}

/** One listener line → MsgListenerAttest (exported for tests). */
export function attestMsg(address: string, value: unknown, createdMs: bigint): Uint8Array {
  const o = value as { chain?: unknown; event_id?: unknown; event?: unknown };
  if (typeof o?.chain !== 'string' || (typeof o.event_id !== 'string' && typeof o.event_id !== 'number')) throw ErrUsage.wrap('a listener line needs chain, event_id and event');
  const m = Tx.MsgListenerAttest.fromPartial({ sender: address, chain: o.chain, eventId: BigInt(o.event_id), event: eventFromJson(o.event), createdMs });
  return Tx.MsgListenerAttest.encode(m).finish();
}

async function runLoop(env: SekaidEnv, s: BridgeSession, file: string | undefined, toMsg: (value: unknown) => Promise<{ typeUrl: string; value: Uint8Array }>): Promise<LoopStats> {
  const stats: LoopStats = { sent: 0, failed: 0 };
  for await (const { line, value } of jsonLines(file)) {
    try {
      if (value instanceof CodedError) throw value;
      const res = await s.client.broadcast([await toMsg(value)]);
      if (res.code !== 0) throw new Error(`code ${res.code}: ${res.rawLog ?? ''}`);
      stats.sent += 1;
      env.print({ line, txhash: res.transactionHash, height: res.height });
    } catch (err) {
      stats.failed += 1;
      env.print({ line, error: (err as Error).message });
    }
  }
  return stats;
}

/** `bridge listener` and `bridge approver`. */
export function bridgeCommand(env: SekaidEnv): Command {
  const bridge = new Command('bridge').description('Reference bridge operators reading JSON lines');
  bridge
    .command('listener')
    .description('Attest each event read (JSON lines) with the --from listener key')
    .option('--file <path>', 'read from a file instead of stdin')
    .action(async (o: { file?: string }, cmd: Command) => {
      const s = await bridgeSession(env, cmd);
      const stats = await runLoop(env, s, o.file, async (value) => ({ typeUrl: BridgeTypeUrls.attest, value: attestMsg(s.address, value, nowMs()) }));
      env.print(stats);
    });
  bridge
    .command('approver')
    .description('Sign each action read (JSON lines {chain, action_id}) with the --from approver key, or as the processor')
    .option('--file <path>', 'read from a file instead of stdin')
    .option('--processor', 'send processor approvals')
    .option('--chain-id <id>', 'check each payload against its action body before signing')
    .action(async (o: { file?: string; processor?: boolean; chainId?: string }, cmd: Command) => {
      const s = await bridgeSession(env, cmd);
      const stats = await runLoop(env, s, o.file, async (value) => {
        const v = value as { chain?: unknown; action_id?: unknown };
        if (typeof v?.chain !== 'string' || (typeof v.action_id !== 'string' && typeof v.action_id !== 'number')) throw ErrUsage.wrap('an approver line needs chain and action_id');
        const actionId = BigInt(v.action_id);
        const a = await queryAction(s.client, v.chain, actionId);
        if (o.chainId) {
          const chains = Q.QueryChainsResponse.decode(await s.client.query(BridgeQueryPaths.chains, Q.QueryChainsRequest.encode({}).finish())).chains;
          const contract = chains.find((c) => c.config?.name === v.chain)?.config?.contract ?? '';
          const expected = actionPayload({ chainId: o.chainId, chain: v.chain, contract, actionId }, a.body!);
          if (!Buffer.from(expected).equals(Buffer.from(a.payload))) throw ErrUsage.wrap(`action ${actionId} on ${v.chain}: the payload does not match its body`);
        }
        const fields = { sender: s.address, chain: v.chain, actionId, signature: signBridgeBytes(s.priv, a.payload), createdMs: nowMs() };
        return o.processor
          ? { typeUrl: BridgeTypeUrls.processorApprove, value: Tx.MsgProcessorApprove.encode(Tx.MsgProcessorApprove.fromPartial(fields)).finish() }
          : { typeUrl: BridgeTypeUrls.approve, value: Tx.MsgApprove.encode(Tx.MsgApprove.fromPartial(fields)).finish() };
      });
      env.print(stats);
    });
  return bridge;
}
