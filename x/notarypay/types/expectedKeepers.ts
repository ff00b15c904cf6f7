/**
 * What x/notarypay needs from other modules; x/accountid, x/bank and the multistore
 * satisfy these structurally and app/app.ts passes them in.
 */
import type { Context } from '../../../runtime/context';
import type { KVReader } from '../../../store/types';
import type { Coins } from '../../../types/coins';

export interface StoreReader {
  store(key: string): KVReader;
}

export interface NotaryAccountKeeper {
  /** AccountID of a reference; undefined when it names no account (malformed ones throw). */
  tryResolve(ctx: StoreReader, ref: string): bigint | undefined;
  /** As tryResolve, creating an address-only account for an unknown bech32 address. */
  resolveOrCreate(ctx: Context, ref: string): bigint;
  /** Home bech32 address of an account. */
  addressOf(ctx: StoreReader, id: bigint): string;
  /** The account record; its `sequence` counts the txs it has signed. */
  get(ctx: StoreReader, id: bigint): { sequence: bigint } | undefined;
}

export interface NotaryBankKeeper {
  balance(ctx: StoreReader, id: bigint, denom: string): bigint;
  supplyOf(ctx: StoreReader, denom: string): bigint;
  mintCoins(ctx: Context, module: string, amount: Coins): void;
  sendCoinsFromModuleToAccount(ctx: Context, fromModule: string, to: bigint, amount: Coins): void;
  /** Throws when an amount is above the per-message transfer cap (1 000 000 coins by default). */
  checkSendCap(ctx: StoreReader, amount: Coins): void;
}

/**
 * The committed state (the multistore). `lastCommitId` is the last committed version and
 * its AppHash: while block H executes this is H-1 and the AppHash that block H's header
 * carries, consensus data every node has, so reading it keeps execution deterministic.
 */
export interface CommitInfoSource {
  lastCommitId(): { version: number; hash: Uint8Array };
}
