/**
 * What x/customslashing needs from other modules; x/customstaking's keeper and x/gov
 * satisfy these structurally and `app/` passes them in.
 */
import type { Context } from '../../../runtime/context';
import type { KVReader } from '../../../store/types';
import type { Validator, ValidatorStatus } from '../../../proto/gen/sekai/staking/v1/staking';
import type { ValidatorProperties } from '../../customstaking';

export type { ValidatorProperties };

export interface StoreReader {
  store(key: string): KVReader;
}

/** x/customstaking: the validator records and their statuses. */
export interface StakingKeeper {
  validatorByConsAddr(ctx: StoreReader, consAddr: Uint8Array): Validator | undefined;
  /** The validator named (or the sender's own when `valKey` is empty), checking the sender operates it. */
  operatorValidator(ctx: StoreReader, sender: string, valKey: string): Validator;
  forEachValidator(ctx: StoreReader, visit: (v: Validator) => boolean | void): void;
  activeCount(ctx: StoreReader): number;
  setStatus(ctx: Context, v: Validator, status: ValidatorStatus, fields?: Partial<Validator>): Validator;
  setRankStreak(ctx: Context, v: Validator, rank: bigint, streak: bigint): Validator;
  /** Jails the validator behind double-sign evidence; false when it was not jailed. */
  jail(ctx: Context, consAddr: Uint8Array): boolean;
}

/** x/gov: network properties (MischanceConfidence, MaxMischance, …). */
export interface ValidatorPropertiesSource {
  validatorProperties(ctx: StoreReader): ValidatorProperties;
}
