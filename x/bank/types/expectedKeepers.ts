/** What x/bank needs from x/accountid (satisfied structurally by AccountIdKeeper). */
import type { Context } from '../../../runtime/context';
import type { KVReader } from '../../../store/types';

export interface StoreReader {
  store(key: string): KVReader;
}

export interface BankAccountKeeper {
  /** AccountID of a reference (ID, name, address, wallet); throws when unknown or malformed. */
  resolve(ctx: StoreReader, ref: string): bigint;
  /** As resolve; undefined when the reference names no account. */
  tryResolve(ctx: StoreReader, ref: string): bigint | undefined;
  /** As resolve, creating an address-only account for an unknown bech32 address. */
  resolveOrCreate(ctx: Context, ref: string): bigint;
  moduleAccountId(ctx: StoreReader, module: string): bigint;
  isModuleAccount(ctx: StoreReader, id: bigint): boolean;
  /** Home bech32 address of an account (for events and export). */
  addressOf(ctx: StoreReader, id: bigint): string;
}
