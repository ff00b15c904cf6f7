/**
 * The x/customslashing keeper: KIRA's ranks instead of downtime slashing.
 *
 * Every block, for each vote of the previous block's commit whose validator is ACTIVE
 * (a PAUSED, INACTIVE or JAILED validator's counters never change):
 * - present: rank + 1, streak + 1, mischance = 0, mischance_confidence = 0,
 *   produced_blocks_counter + 1, last_present_block = height;
 * - absent: missed_blocks_counter + 1; while mischance_confidence < MISCHANCE_CONFIDENCE
 *   only mischance_confidence + 1; after that each further consecutive miss does
 *   mischance + 1, streak = 0, rank = max(0, rank − MISCHANCE_RANK_DECREASE_AMOUNT);
 * - once mischance > MAX_MISCHANCE: INACTIVE, rank × (1 − INACTIVE_RANK_DECREASE_PERCENT)
 *   rounded half to even, streak 0, power 0, inactive_until = block time +
 *   DOWNTIME_INACTIVE_DURATION. With the defaults that is the 121st consecutive miss
 *   (10 confidence misses, then mischance 1 … 111).
 *
 * "Present" is CometBFT's COMMIT or NIL flag, as in the Cosmos SDK: a nil vote proves the
 * node is online, which is what the rank measures; ABSENT (and UNKNOWN) is a miss.
 *
 * Double-sign evidence (DUPLICATE_VOTE and LIGHT_CLIENT_ATTACK, both equivocation) jails
 * through x/customstaking.
 */
import type { Context } from '../../runtime/context';
import { addressToBech32, consAddressFromEd25519 } from '../../crypto/address';
import { Dec } from '../../types/dec';
import { ValidatorSigningInfo } from '../../proto/gen/sekai/slashing/v1/slashing';
import { ValidatorStatus, validatorStatusToJSON, type Validator } from '../../proto/gen/sekai/staking/v1/staking';
import { BlockIDFlag } from 'cosmjs-types/tendermint/types/validator';
import { MisbehaviorType } from 'cosmjs-types/tendermint/abci/types';
import {
  ErrInactivePeriodNotPassed,
  ErrPauseBelowMinValidators,
  ErrValidatorAlreadyPaused,
  ErrValidatorInactive,
  ErrValidatorJailed,
  ErrValidatorNotInactive,
  ErrValidatorNotPaused,
  ErrValidatorPaused,
} from './types/errors';
import { SlashingEvents } from './types/events';
import type { StakingKeeper, StoreReader, ValidatorProperties, ValidatorPropertiesSource } from './types/expectedKeepers';
import { SLASHING_STORE_KEY, State } from './types/keys';

export { ValidatorSigningInfo };

export interface SlashingKeeperDeps {
  staking: StakingKeeper;
  properties: ValidatorPropertiesSource;
}

/** True when a commit vote shows the validator online (COMMIT or NIL). */
export function isPresent(flag: BlockIDFlag): boolean {
  return flag === BlockIDFlag.BLOCK_ID_FLAG_COMMIT || flag === BlockIDFlag.BLOCK_ID_FLAG_NIL;
}

/**
 * Rank after inactivation: rank × (1 − percent), rounded half to even (LegacyDec's
 * RoundInt, as sekai computes it). 0.50 of an odd rank 7 gives 3.5 → 4; of 5 gives 2.5 → 2.
 */
export function inactiveRank(rank: bigint, percent: Dec): bigint {
  const r = Dec.fromInt(rank).mul(Dec.ONE.sub(percent)).roundInt();
  return r < 0n ? 0n : r;
}

export class SlashingKeeper {
  readonly storeKey = SLASHING_STORE_KEY;

  constructor(private readonly deps: SlashingKeeperDeps) {}

  properties(ctx: StoreReader): ValidatorProperties {
    return this.deps.properties.validatorProperties(ctx);
  }

  /** Stored counters, or zeros from the claim height for a validator never seen in a commit. */
  signingInfo(ctx: StoreReader, consAddr: Uint8Array): ValidatorSigningInfo | undefined {
    const stored = State.signingInfos.get(ctx, consAddr);
    if (stored) return stored;
    const v = this.deps.staking.validatorByConsAddr(ctx, consAddr);
    if (!v) return undefined;
    return { ...ValidatorSigningInfo.fromPartial({}), address: Buffer.from(consAddr), startHeight: v.startHeight };
  }

  private setSigningInfo(ctx: Context, info: ValidatorSigningInfo): void {
    State.signingInfos.set(ctx, info.address, info);
  }

  /** Genesis import of one record. */
  importSigningInfo(ctx: Context, info: ValidatorSigningInfo): void {
    this.setSigningInfo(ctx, info);
  }

  /** Stored records only, in consensus-address order (genesis export). */
  storedSigningInfos(ctx: StoreReader): ValidatorSigningInfo[] {
    const out: ValidatorSigningInfo[] = [];
    for (const info of State.signingInfos.values(ctx)) out.push(info);
    return out;
  }

  /** Every validator's counters, in consensus-address order. O(validators). */
  signingInfos(ctx: StoreReader): ValidatorSigningInfo[] {
    const out: ValidatorSigningInfo[] = [];
    this.deps.staking.forEachValidator(ctx, (v) => {
      const info = this.signingInfo(ctx, consAddressFromEd25519(v.pubKey));
      if (info) out.push(info);
    });
    return out.sort((a, b) => Buffer.compare(a.address, b.address));
  }

  /** BeginBlock: ranks from the previous block's votes, then double-sign evidence. */
  beginBlock(ctx: Context): void {
    const props = this.properties(ctx);
    for (const vote of ctx.decidedLastCommit.votes) {
      this.handleValidatorSignature(ctx, vote.validator.address, isPresent(vote.blockIdFlag), props);
    }
    for (const m of ctx.misbehavior) {
      if (m.type === MisbehaviorType.DUPLICATE_VOTE || m.type === MisbehaviorType.LIGHT_CLIENT_ATTACK) {
        this.deps.staking.jail(ctx, m.validator.address);
      }
    }
  }

  /** Applies one vote to one validator; no change unless it is ACTIVE. */
  handleValidatorSignature(ctx: Context, consAddr: Uint8Array, present: boolean, props: ValidatorProperties): void {
    const v = this.deps.staking.validatorByConsAddr(ctx, consAddr);
    if (!v || v.status !== ValidatorStatus.ACTIVE) return;
    const info = this.signingInfo(ctx, consAddr);
    if (!info) return;
    const height = BigInt(ctx.height);
    if (present) {
      this.setSigningInfo(ctx, {
        ...info,
        mischance: 0n,
        mischanceConfidence: 0n,
        producedBlocksCounter: info.producedBlocksCounter + 1n,
        lastPresentBlock: height,
      });
      this.deps.staking.setRankStreak(ctx, v, v.rank + 1n, v.streak + 1n);
      return;
    }
    const next: ValidatorSigningInfo = { ...info, missedBlocksCounter: info.missedBlocksCounter + 1n };
    let val = v;
    if (info.mischanceConfidence < props.mischanceConfidence) {
      next.mischanceConfidence = info.mischanceConfidence + 1n;
    } else {
      next.mischance = info.mischance + 1n;
      const rank = v.rank - props.mischanceRankDecreaseAmount;
      val = this.deps.staking.setRankStreak(ctx, v, rank < 0n ? 0n : rank, 0n);
    }
    this.setSigningInfo(ctx, next);
    ctx.events.emit(SlashingEvents.liveness, [
      ['address', addressToBech32('consensus', consAddr)],
      ['missed_blocks', next.missedBlocksCounter.toString()],
      ['mischance', next.mischance.toString()],
      ['height', height.toString()],
    ]);
    if (next.mischance > props.maxMischance) this.inactivate(ctx, val, props);
  }

  /**
   * Downtime inactivation, as the seed does it: also when it takes the ACTIVE set below
   * MIN_VALIDATORS, which bounds voluntary exits (pause) only. A validator that misses
   * blocks adds nothing to consensus while it stays in the set: it only raises the share of
   * the others that 2/3 needs (4 in the set with 1 down leaves 3 of 4 online; without it,
   * 3 of 3). The one exception is the last ACTIVE validator: CometBFT cannot run an empty
   * set, so that inactivation waits (x/customslashing/README.md).
   */
  private inactivate(ctx: Context, v: Validator, props: ValidatorProperties): void {
    const valAddr = addressToBech32('validator', v.valKey);
    if (this.deps.staking.activeCount(ctx) <= 1) {
      ctx.events.emit(SlashingEvents.inactivationDeferred, [
        ['validator', valAddr],
        ['reason', 'last active validator'],
      ]);
      return;
    }
    const until = ctx.time.seconds + props.downtimeInactiveDuration;
    const rank = inactiveRank(v.rank, props.inactiveRankDecreasePercent);
    this.deps.staking.setStatus(ctx, v, ValidatorStatus.INACTIVE, { rank, streak: 0n, inactiveUntil: until });
    ctx.events.emit(SlashingEvents.inactivate, [
      ['validator', valAddr],
      ['rank', rank.toString()],
      ['inactive_until', until.toString()],
    ]);
  }

  /** MsgPause: ACTIVE → PAUSED (power 0, rank kept), never below MIN_VALIDATORS. */
  pause(ctx: Context, sender: string, valKey: string): void {
    const v = this.deps.staking.operatorValidator(ctx, sender, valKey);
    switch (v.status) {
      case ValidatorStatus.ACTIVE:
        break;
      case ValidatorStatus.PAUSED:
        throw ErrValidatorAlreadyPaused.wrap(addressToBech32('validator', v.valKey));
      case ValidatorStatus.INACTIVE:
        throw ErrValidatorInactive.wrap('only an ACTIVE validator can pause; send activate first');
      case ValidatorStatus.JAILED:
        throw ErrValidatorJailed.wrap('only an ACTIVE validator can pause');
      default:
        throw ErrValidatorInactive.wrap(`status is ${validatorStatusToJSON(v.status)}`);
    }
    const min = this.properties(ctx).minValidators;
    const floor = min > 1n ? min : 1n;
    const active = BigInt(this.deps.staking.activeCount(ctx));
    if (active - 1n < floor) {
      throw ErrPauseBelowMinValidators.wrap(`${active} active validators, MIN_VALIDATORS is ${min}: at least ${floor} must stay active`);
    }
    this.deps.staking.setStatus(ctx, v, ValidatorStatus.PAUSED);
    ctx.events.emit(SlashingEvents.pause, [['validator', addressToBech32('validator', v.valKey)]]);
  }

  /** MsgUnpause: PAUSED → ACTIVE (power 1 at EndBlock). */
  unpause(ctx: Context, sender: string, valKey: string): void {
    const v = this.deps.staking.operatorValidator(ctx, sender, valKey);
    if (v.status !== ValidatorStatus.PAUSED) throw ErrValidatorNotPaused.wrap(`status is ${validatorStatusToJSON(v.status)}`);
    this.deps.staking.setStatus(ctx, v, ValidatorStatus.ACTIVE);
    ctx.events.emit(SlashingEvents.unpause, [['validator', addressToBech32('validator', v.valKey)]]);
  }

  /**
   * MsgActivate: INACTIVE → ACTIVE once block time reaches inactive_until (saying how many
   * seconds remain before that); mischance counters restart from 0.
   */
  activate(ctx: Context, sender: string, valKey: string): void {
    const v = this.deps.staking.operatorValidator(ctx, sender, valKey);
    switch (v.status) {
      case ValidatorStatus.INACTIVE:
        break;
      case ValidatorStatus.PAUSED:
        throw ErrValidatorPaused.wrap(addressToBech32('validator', v.valKey));
      case ValidatorStatus.JAILED:
        throw ErrValidatorJailed.wrap('unjail it first (tx customstaking unjail), then activate');
      default:
        throw ErrValidatorNotInactive.wrap(`status is ${validatorStatusToJSON(v.status)}`);
    }
    const now = ctx.time.seconds;
    if (now < v.inactiveUntil) throw ErrInactivePeriodNotPassed.wrap(`${v.inactiveUntil - now} seconds remaining`);
    const consAddr = consAddressFromEd25519(v.pubKey);
    const info = this.signingInfo(ctx, consAddr);
    if (info) this.setSigningInfo(ctx, { ...info, mischance: 0n, mischanceConfidence: 0n });
    this.deps.staking.setStatus(ctx, v, ValidatorStatus.ACTIVE);
    ctx.events.emit(SlashingEvents.activate, [['validator', addressToBech32('validator', v.valKey)]]);
  }

  /**
   * The reset-whole-validator-rank proposal: every rank and streak to 0, every signing
   * counter to 0 from this height. Statuses, powers and inactive_until stay as they are;
   * upstream sekai also set every validator ACTIVE without telling CometBFT, which left
   * paused and jailed validators "active" with no power.
   */
  resetWholeValidatorRank(ctx: Context): void {
    const height = BigInt(ctx.height);
    const all: Validator[] = [];
    this.deps.staking.forEachValidator(ctx, (v) => void all.push(v));
    for (const v of all) {
      this.deps.staking.setRankStreak(ctx, v, 0n, 0n);
      const consAddr = consAddressFromEd25519(v.pubKey);
      this.setSigningInfo(ctx, {
        ...ValidatorSigningInfo.fromPartial({}),
        address: Buffer.from(consAddr),
        startHeight: height,
        lastPresentBlock: this.signingInfo(ctx, consAddr)?.lastPresentBlock ?? 0n,
      });
    }
    ctx.events.emit(SlashingEvents.resetRanks, [['validators', String(all.length)]]);
  }
}
