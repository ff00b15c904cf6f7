/**
 * What x/multistaking needs from other modules, declared here; their keepers satisfy these
 * structurally and `app/` passes them in.
 */
import type { Context } from '../../../runtime/context';
import type { KVReader } from '../../../store/types';
import type { Coins } from '../../../types/coins';
import type { Dec } from '../../../types/dec';
import type { NetworkProperty } from '../../../proto/gen/sekai/gov/v1/network_properties';
import type { Validator } from '../../../proto/gen/sekai/staking/v1/staking';

export interface StoreReader {
  store(key: string): KVReader;
}

/** x/customstaking: the validator records (status, commission, withdraw account). */
export interface ValidatorSource {
  validator(ctx: StoreReader, valKey: Uint8Array): Validator | undefined;
  validatorByConsAddr(ctx: StoreReader, consAddr: Uint8Array): Validator | undefined;
}

/** x/accountid. */
export interface Accounts {
  tryResolve(ctx: StoreReader, ref: string): bigint | undefined;
  addressOf(ctx: StoreReader, id: bigint): string;
  ensureModuleAccount(ctx: Context, module: string): { id: bigint };
  moduleAccountId(ctx: StoreReader, module: string): bigint;
}

/** x/bank. */
export interface Bank {
  balance(ctx: StoreReader, id: bigint, denom: string): bigint;
  supplyOf(ctx: StoreReader, denom: string): bigint;
  sendCoins(ctx: Context, from: bigint, to: bigint, amount: Coins): void;
  mintCoins(ctx: Context, module: string, amount: Coins): void;
}

/** x/gov: network properties by enum number. */
export interface NetworkProperties {
  uint(ctx: StoreReader, p: NetworkProperty): bigint;
  dec(ctx: StoreReader, p: NetworkProperty): Dec;
}
