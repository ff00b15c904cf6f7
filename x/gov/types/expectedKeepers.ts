/**
 * What x/gov needs from other modules; their keepers satisfy these structurally and
 * `app/app.ts` passes them in.
 *
 * Identity: governance keys every actor, councilor and vote by AccountID (x/accountid),
 * the identity that survives key rotation. Messages and CLI name accounts by any
 * reference x/accountid resolves (bech32 address, name, numeric ID).
 */
import type { Context } from '../../../runtime/context';
import type { KVReader } from '../../../store/types';

/** Anything that hands out stores for reading (a Context or a QueryContext). */
export interface StoreReader {
  store(key: string): KVReader;
}

export interface GovAccountKeeper {
  /** AccountID named by a reference; undefined when it names no account. Malformed references throw a registered error. */
  tryResolve(ctx: StoreReader, ref: string): bigint | undefined;
  /** As `tryResolve`, but an unknown bech32 address becomes a new account (sekai grants permissions to fresh addresses). */
  resolveOrCreate(ctx: Context, ref: string): bigint;
  /** The canonical bech32 address of an account. */
  addressOf(ctx: StoreReader, id: bigint): string;
}

/**
 * The runtime's upgrade store (app/upgrade.ts `UpgradeKeeper`), for `SoftwareUpgradeProposal`:
 * the runtime's gate switches the chain version at the plan's height.
 */
export interface GovUpgradeKeeper {
  /** Stores the plan (replacing a pending one); throws a registered error on a bad plan. */
  scheduleUpgrade(ctx: Context, plan: { name: string; version: string; height: number }): void;
}
