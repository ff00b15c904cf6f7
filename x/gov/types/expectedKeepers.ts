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

/** x/customslashing, for `ProposalResetWholeValidatorRank` (perms 26 / 27). */
export interface SlashingKeeper {
  /** Every validator's rank and streak to 0 and its signing counters reset; statuses unchanged. */
  resetWholeValidatorRank(ctx: Context): void;
}

/** x/customstaking, for `ProposalUnjailValidator` (perms 20 / 21). */
export interface StakingKeeper {
  /**
   * JAILED → INACTIVE for the validator `valAddr` (kiravaloper…), refusing with a
   * registered error when it is not jailed or its UNJAIL_MAX_TIME has passed.
   */
  unjailValidator(ctx: Context, valAddr: string, reference: string): void;
}
