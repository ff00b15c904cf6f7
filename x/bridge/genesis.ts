/**
 * x/bridge genesis: `app_state.bridge`.
 *
 *   {
 *     "validator_set": { "processor": "<66 hex>", "listeners": ["<66 hex>", …], "needed_listeners": 2,
 *                        "approvers": ["<66 hex>", …], "needed_approvers": 2 } | null,
 *     "chains": [{ "name": "ethereum", "contract": "0x…",          // "" until instantiated
 *                  "assets": [{ "external_denom": "usdc", "decimals": 6, "local_denom": "uusdc",
 *                               "local_decimals": 6 }] }],     // local_decimals: optional, 6
 *     "state": { … }     // optional, written by export: every record as proto JSON
 *   }
 *
 * Without a validator set the bridge is off (every bridge message is refused). Keys are
 * sorted on import, so any order is accepted. A fresh genesis starts the history with
 * the set as entry 0.
 */
import type { Context } from '../../runtime/context';
import { ErrInvalidGenesis } from '../../runtime/errors';
import type { ModuleGenesis } from '../../runtime/module';
import {
  ActionRecord,
  AdminProposal,
  ChainConfig,
  ChainState,
  EventRecord,
  HistoryEntry,
  OverrideProposal,
  PendingWithdrawal,
  type ValidatorSet,
} from '../../proto/gen/sekai/bridge/v1/bridge';
import { validateDenom } from '../../types/coins';
import { CodedError } from '../../types/errors';
import { DEFAULT_LOCAL_DECIMALS } from './decimals';
import type { BridgeKeeper } from './keeper';
import { sortKeys, validateValidatorSet } from './validatorSet';

export interface ValidatorSetJson {
  processor: string;
  listeners: string[];
  needed_listeners: number;
  approvers: string[];
  needed_approvers: number;
}

export interface AssetJson {
  external_denom: string;
  decimals: number;
  local_denom: string;
  /** The local denom's precision; DEFAULT_LOCAL_DECIMALS (6) when absent. */
  local_decimals?: number;
}

export interface ChainJson {
  name: string;
  contract: string;
  assets: AssetJson[];
}

export interface BridgeStateJson {
  chain_states: unknown[];
  events: { chain: string; record: unknown }[];
  reverted: { chain: string; seq: string; record: unknown }[];
  actions: { chain: string; record: unknown }[];
  withdrawals: { chain: string; record: unknown }[];
  overrides: { chain: string; record: unknown }[];
  proposals: unknown[];
  next_proposal_id: string;
  history: unknown[];
}

export interface BridgeGenesisJson {
  validator_set: ValidatorSetJson | null;
  chains: ChainJson[];
  state?: BridgeStateJson;
}

/** Chain names: short, lowercase, stable (they are part of store keys and payloads). */
export const CHAIN_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const EXTERNAL_TEXT = /^[\x21-\x7e]{1,128}$/;
/** 36 decimals covers every token in use (ERC-20 tokens use at most 18-24). */
export const MAX_DECIMALS = 36;

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function keyHex(text: unknown, field: string): Buffer {
  if (typeof text !== 'string' || !/^0[23][0-9a-fA-F]{64}$/.test(text)) throw ErrInvalidGenesis.wrap(`bridge.${field}: must be a 66-hex-digit compressed secp256k1 key`);
  return Buffer.from(text, 'hex');
}

function count(n: unknown, field: string): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 0xffff) throw ErrInvalidGenesis.wrap(`bridge.${field}: must be an integer 0-65535`);
  return n;
}

export function validatorSetFromJson(j: ValidatorSetJson): ValidatorSet {
  if (j === null || typeof j !== 'object') throw ErrInvalidGenesis.wrap('bridge.validator_set: must be an object');
  if (!Array.isArray(j.listeners) || !Array.isArray(j.approvers)) throw ErrInvalidGenesis.wrap('bridge.validator_set: listeners and approvers must be arrays');
  const v: ValidatorSet = {
    processor: keyHex(j.processor, 'validator_set.processor'),
    listeners: sortKeys(j.listeners.map((k, i) => keyHex(k, `validator_set.listeners[${i}]`))),
    neededListeners: count(j.needed_listeners, 'validator_set.needed_listeners'),
    approvers: sortKeys(j.approvers.map((k, i) => keyHex(k, `validator_set.approvers[${i}]`))),
    neededApprovers: count(j.needed_approvers, 'validator_set.needed_approvers'),
  };
  try {
    validateValidatorSet(v);
  } catch (err) {
    throw ErrInvalidGenesis.wrap(`bridge.validator_set: ${err instanceof CodedError ? err.message : String(err)}`);
  }
  return v;
}

export function validatorSetToJson(v: ValidatorSet): ValidatorSetJson {
  return {
    processor: hex(v.processor),
    listeners: v.listeners.map(hex),
    needed_listeners: v.neededListeners,
    approvers: v.approvers.map(hex),
    needed_approvers: v.neededApprovers,
  };
}

/** Checks one chain entry; returns it as a ChainConfig. */
export function chainFromJson(c: ChainJson, where: string): ChainConfig {
  if (c === null || typeof c !== 'object') throw ErrInvalidGenesis.wrap(`bridge.${where}: must be an object`);
  if (typeof c.name !== 'string' || !CHAIN_NAME.test(c.name)) throw ErrInvalidGenesis.wrap(`bridge.${where}.name: 1-32 of a-z 0-9 _ - starting with a letter or digit`);
  const contract = c.contract ?? '';
  if (typeof contract !== 'string' || (contract !== '' && !EXTERNAL_TEXT.test(contract))) throw ErrInvalidGenesis.wrap(`bridge.${where}.contract: up to 128 visible ASCII characters`);
  if (!Array.isArray(c.assets)) throw ErrInvalidGenesis.wrap(`bridge.${where}.assets: must be an array`);
  const ext = new Set<string>();
  const local = new Set<string>();
  const assets = c.assets.map((a, i) => {
    const f = `${where}.assets[${i}]`;
    if (typeof a?.external_denom !== 'string' || !EXTERNAL_TEXT.test(a.external_denom)) throw ErrInvalidGenesis.wrap(`bridge.${f}.external_denom: 1-128 visible ASCII characters`);
    const decimals = count(a.decimals, `${f}.decimals`);
    if (decimals > MAX_DECIMALS) throw ErrInvalidGenesis.wrap(`bridge.${f}.decimals: at most ${MAX_DECIMALS}`);
    const localDecimals = a.local_decimals === undefined ? DEFAULT_LOCAL_DECIMALS : count(a.local_decimals, `${f}.local_decimals`);
    if (localDecimals > MAX_DECIMALS) throw ErrInvalidGenesis.wrap(`bridge.${f}.local_decimals: at most ${MAX_DECIMALS}`);
    try {
      validateDenom(a.local_denom);
    } catch (err) {
      throw ErrInvalidGenesis.wrap(`bridge.${f}.local_denom: ${(err as Error).message}`);
    }
    if (ext.has(a.external_denom)) throw ErrInvalidGenesis.wrap(`bridge.${f}.external_denom: ${a.external_denom} is listed twice`);
    if (local.has(a.local_denom)) throw ErrInvalidGenesis.wrap(`bridge.${f}.local_denom: ${a.local_denom} is listed twice`);
    ext.add(a.external_denom);
    local.add(a.local_denom);
    return { externalDenom: a.external_denom, decimals, localDenom: a.local_denom, localDecimals };
  });
  return { name: c.name, contract, assets };
}

export function chainToJson(c: ChainConfig): ChainJson {
  return { name: c.name, contract: c.contract, assets: c.assets.map((a) => ({ external_denom: a.externalDenom, decimals: a.decimals, local_denom: a.localDenom, local_decimals: a.localDecimals })) };
}

interface Parsed {
  set?: ValidatorSet;
  chains: ChainConfig[];
  state?: BridgeStateJson;
}

export function parseBridgeGenesis(json: unknown): Parsed {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw ErrInvalidGenesis.wrap('bridge: must be an object');
  const g = json as Partial<BridgeGenesisJson>;
  const set = g.validator_set === null || g.validator_set === undefined ? undefined : validatorSetFromJson(g.validator_set);
  if (g.chains !== undefined && !Array.isArray(g.chains)) throw ErrInvalidGenesis.wrap('bridge.chains: must be an array');
  const names = new Set<string>();
  const chains = (g.chains ?? []).map((c, i) => {
    const cfg = chainFromJson(c, `chains[${i}]`);
    if (names.has(cfg.name)) throw ErrInvalidGenesis.wrap(`bridge.chains[${i}].name: ${cfg.name} is listed twice`);
    names.add(cfg.name);
    return cfg;
  });
  if (chains.length > 0 && !set) throw ErrInvalidGenesis.wrap('bridge.validator_set: external chains need a validator set');
  if (g.state !== undefined && (g.state === null || typeof g.state !== 'object')) throw ErrInvalidGenesis.wrap('bridge.state: must be an object');
  return { set, chains, state: g.state };
}

function decodeAll<T>(list: unknown, field: string, fromJSON: (o: unknown) => T): T[] {
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw ErrInvalidGenesis.wrap(`bridge.state.${field}: must be an array`);
  try {
    return list.map((o) => fromJSON(o));
  } catch (err) {
    throw ErrInvalidGenesis.wrap(`bridge.state.${field}: ${(err as Error).message}`);
  }
}

export function bridgeGenesis(k: BridgeKeeper): ModuleGenesis {
  return {
    defaultGenesis: (): BridgeGenesisJson => ({ validator_set: null, chains: [] }),
    validateGenesis: (json) => void parseBridgeGenesis(json),
    initGenesis: (ctx: Context, json) => {
      const g = parseBridgeGenesis(json);
      if (g.set) k.setValidatorSet(ctx, g.set);
      // Bridged assets get bank metadata (their decimals) unless genesis gave them some.
      for (const config of g.chains) k.ensureAssetMetadata(ctx, config);
      if (!g.state) {
        for (const config of g.chains) k.setChain(ctx, ChainState.fromPartial({ config }));
        if (g.set) k.appendHistory(ctx, { genesis: g.set, approvals: [], proposalId: 0n, height: 0n });
        return;
      }
      const s = g.state;
      const states = decodeAll(s.chain_states, 'chain_states', (o) => ChainState.fromJSON(o));
      const byName = new Map(states.map((cs) => [cs.config?.name ?? '', cs]));
      for (const config of g.chains) {
        const cs = byName.get(config.name);
        if (!cs) throw ErrInvalidGenesis.wrap(`bridge.state.chain_states: no state for chain ${config.name}`);
        if (ChainConfig.encode(cs.config!).finish().toString() !== ChainConfig.encode(config).finish().toString()) {
          throw ErrInvalidGenesis.wrap(`bridge.state.chain_states: ${config.name} differs from its chains entry`);
        }
        k.setChain(ctx, cs);
      }
      if (states.length !== g.chains.length) throw ErrInvalidGenesis.wrap('bridge.state.chain_states: one state per chain');
      const known = (chain: string, field: string) => {
        if (!byName.has(chain)) throw ErrInvalidGenesis.wrap(`bridge.state.${field}: unknown chain ${JSON.stringify(chain)}`);
        return chain;
      };
      for (const e of decodeAll(s.events, 'events', (o) => o as { chain: string; record: unknown })) {
        const r = EventRecord.fromJSON(e.record);
        k.putEvent(ctx, known(e.chain, 'events'), r);
      }
      for (const e of decodeAll(s.reverted, 'reverted', (o) => o as { chain: string; seq: string; record: unknown })) {
        k.putReverted(ctx, known(e.chain, 'reverted'), BigInt(e.seq), EventRecord.fromJSON(e.record));
      }
      for (const e of decodeAll(s.actions, 'actions', (o) => o as { chain: string; record: unknown })) {
        const a = ActionRecord.fromJSON(e.record);
        k.putAction(ctx, known(e.chain, 'actions'), a);
      }
      for (const e of decodeAll(s.withdrawals, 'withdrawals', (o) => o as { chain: string; record: unknown })) {
        const w = PendingWithdrawal.fromJSON(e.record);
        k.putWithdrawal(ctx, known(e.chain, 'withdrawals'), w);
      }
      for (const e of decodeAll(s.overrides, 'overrides', (o) => o as { chain: string; record: unknown })) {
        const o = OverrideProposal.fromJSON(e.record);
        k.putOverride(ctx, known(e.chain, 'overrides'), o);
      }
      for (const p of decodeAll(s.proposals, 'proposals', (o) => AdminProposal.fromJSON(o))) k.putAdminProposal(ctx, p);
      if (s.next_proposal_id !== undefined) k.setNextAdminProposalId(ctx, BigInt(s.next_proposal_id));
      for (const h of decodeAll(s.history, 'history', (o) => HistoryEntry.fromJSON(o))) k.putHistory(ctx, h);
    },
    exportGenesis: (ctx: Context): BridgeGenesisJson => {
      const set = k.validatorSet(ctx);
      const chains = k.chains(ctx);
      const all = <T>(f: (chain: string) => T[], toJSON: (t: T) => unknown) => chains.flatMap((cs) => f(cs.config!.name).map((r) => ({ chain: cs.config!.name, record: toJSON(r) })));
      return {
        validator_set: set ? validatorSetToJson(set) : null,
        chains: chains.map((cs) => chainToJson(cs.config!)),
        state: {
          chain_states: chains.map((cs) => ChainState.toJSON(cs)),
          events: all((c) => k.events(ctx, c, 0n, Number.MAX_SAFE_INTEGER), (r) => EventRecord.toJSON(r)),
          reverted: chains.flatMap((cs) =>
            k.revertedEvents(ctx, cs.config!.name).map((r, i) => ({ chain: cs.config!.name, seq: String(i), record: EventRecord.toJSON(r) })),
          ),
          actions: all((c) => k.actions(ctx, c, 0n, Number.MAX_SAFE_INTEGER), (r) => ActionRecord.toJSON(r)),
          withdrawals: all((c) => k.pendingWithdrawals(ctx, c), (r) => PendingWithdrawal.toJSON(r)),
          overrides: all((c) => k.overrides(ctx, c), (r) => OverrideProposal.toJSON(r)),
          proposals: k.proposals(ctx).map((p) => AdminProposal.toJSON(p)),
          next_proposal_id: k.nextProposalId(ctx).toString(),
          history: k.history(ctx).map((h) => HistoryEntry.toJSON(h)),
        },
      };
    },
  };
}
