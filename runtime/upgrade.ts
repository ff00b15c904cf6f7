/**
 * The upgrade gate. The binary knows its code version; the chain's version lives in the
 * runtime-owned store. Governance stores a plan (name, target version, height). From the
 * plan's height on, only a binary of the target version may execute blocks: any other
 * refuses with `ErrUpgradeRequired` naming the version required, so the node stops
 * instead of computing a different AppHash.
 */
import type { KVReader, KVStore } from '../store/types';
import type { Context } from './context';
import { ErrInvalidUpgradePlan, ErrUpgradeRequired } from './errors';

/** The store the runtime owns; mounted beside the modules' stores. */
export const RUNTIME_STORE = 'runtime';

const KEY_CHAIN_VERSION = Uint8Array.of(0x01);
const KEY_PLAN = Uint8Array.of(0x02);
const KEY_CHAIN_ID = Uint8Array.of(0x03);

export interface UpgradePlan {
  name: string;
  /** The code version that must run from `height` on. */
  version: string;
  height: number;
}

const text = new TextEncoder();
const untext = new TextDecoder();

export function readChainVersion(store: KVReader): string | undefined {
  const v = store.get(KEY_CHAIN_VERSION);
  return v && untext.decode(v);
}

export function writeChainVersion(store: KVStore, version: string): void {
  store.set(KEY_CHAIN_VERSION, text.encode(version));
}

export function readChainId(store: KVReader): string | undefined {
  const v = store.get(KEY_CHAIN_ID);
  return v && untext.decode(v);
}

export function writeChainId(store: KVStore, chainId: string): void {
  store.set(KEY_CHAIN_ID, text.encode(chainId));
}

export function readUpgradePlan(store: KVReader): UpgradePlan | undefined {
  const v = store.get(KEY_PLAN);
  if (!v) return undefined;
  const o = JSON.parse(untext.decode(v)) as { name: string; version: string; height: number };
  return { name: o.name, version: o.version, height: o.height };
}

/** Stores a plan (replacing any pending one); `currentHeight` is the block executing it. */
export function scheduleUpgrade(store: KVStore, plan: UpgradePlan, currentHeight: number): void {
  if (plan.name === '') throw ErrInvalidUpgradePlan.wrap('name must not be empty');
  if (plan.version === '') throw ErrInvalidUpgradePlan.wrap('version must not be empty');
  if (!Number.isSafeInteger(plan.height) || plan.height <= currentHeight) {
    throw ErrInvalidUpgradePlan.wrap(`height ${plan.height} must be above the current height ${currentHeight}`);
  }
  // Fixed key order keeps the stored bytes identical on every node.
  store.set(KEY_PLAN, text.encode(JSON.stringify({ name: plan.name, version: plan.version, height: plan.height })));
}

export function clearUpgradePlan(store: KVStore): void {
  store.delete(KEY_PLAN);
}

/**
 * Runs before any block's hooks. Returns the plan applied at this height, if any (the
 * chain version is then switched to it). Throws `ErrUpgradeRequired` when this binary
 * must not execute the block.
 */
export function upgradeGate(store: KVStore, height: number, codeVersion: string): UpgradePlan | undefined {
  const plan = readUpgradePlan(store);
  if (plan && height >= plan.height) {
    if (plan.version !== codeVersion) {
      throw ErrUpgradeRequired.wrap(
        `upgrade "${plan.name}" requires version ${plan.version} from height ${plan.height}; this binary is version ${codeVersion}`,
      );
    }
    writeChainVersion(store, plan.version);
    clearUpgradePlan(store);
    return plan;
  }
  const chain = readChainVersion(store);
  if (chain !== undefined && chain !== codeVersion) {
    const pending = plan ? `; upgrade "${plan.name}" to ${plan.version} is planned at height ${plan.height}` : '';
    throw ErrUpgradeRequired.wrap(`the chain runs version ${chain}; this binary is version ${codeVersion}${pending}`);
  }
  return undefined;
}

/**
 * The runtime's upgrade store as modules reach it. Modules never write `RUNTIME_STORE`
 * themselves: they declare the part they need in their `types/expectedKeepers.ts`
 * (x/gov schedules plans, x/bridge sets the chain version by admin proposal) and the app
 * hands them this keeper. Writes go to the context's branch, so a failed tx leaves nothing.
 */
export class UpgradeKeeper {
  /** Stores `plan`, replacing a pending one; throws ErrInvalidUpgradePlan on a bad plan. */
  scheduleUpgrade(ctx: Context, plan: UpgradePlan): void {
    scheduleUpgrade(ctx.store(RUNTIME_STORE), plan, ctx.height);
  }

  /** Sets the version the chain runs; a binary of another version refuses the next block. */
  setChainVersion(ctx: Context, version: string): void {
    writeChainVersion(ctx.store(RUNTIME_STORE), version);
  }
}
