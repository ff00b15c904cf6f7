/**
 * What x/bridge needs from other modules; x/accountid and x/bank satisfy these
 * structurally (the upgrade store is the runtime's) and app/app.ts passes them in.
 */
import type { Metadata } from 'cosmjs-types/cosmos/bank/v1beta1/bank';
import type { Context } from '../../../runtime/context';
import type { Account } from '../../../proto/gen/sekai/accountid/v1/account';
import type { KVReader } from '../../../store/types';
import type { Coins } from '../../../types/coins';

export interface StoreReader {
  store(key: string): KVReader;
}

export interface BridgeAccountKeeper {
  /** AccountID of a reference (address, wallet, name, ID); undefined when none. */
  tryResolve(ctx: StoreReader, ref: string): bigint | undefined;
  get(ctx: StoreReader, id: bigint): Account | undefined;
  /** The secp256k1 keys carried by the current tx's signer infos. */
  signingKeys(ctx: Context): Uint8Array[];
  /** Creates an account whose home address is `address20`. */
  createAccount(ctx: Context, address20: Uint8Array): Account;
  /** Binds an external wallet to an account without a proof. */
  bindWallet(ctx: Context, a: Account, wallet: string): void;
  /** Attaches a key without a proof; false (no change) when it is used elsewhere. */
  bindKey(ctx: Context, id: bigint, pubKey: Uint8Array): boolean;
  moduleAccountId(ctx: StoreReader, module: string): bigint;
}

/** The runtime's upgrade store (app/upgrade.ts `UpgradeKeeper`): an admin proposal may set the chain version. */
export interface BridgeUpgradeKeeper {
  setChainVersion(ctx: Context, version: string): void;
}

export interface BridgeBankKeeper {
  balance(ctx: StoreReader, id: bigint, denom: string): bigint;
  mintCoins(ctx: Context, module: string, amount: Coins): void;
  burnCoins(ctx: Context, module: string, amount: Coins): void;
  sendCoins(ctx: Context, from: bigint, to: bigint, amount: Coins): void;
  sendCoinsFromModuleToAccount(ctx: Context, fromModule: string, to: bigint, amount: Coins): void;
  /** Denom metadata: its display exponent sets the denom's transfer cap. */
  metadata(ctx: StoreReader, denom: string): Metadata | undefined;
  setMetadata(ctx: Context, md: Metadata): void;
  /** The transfer cap of each denom of `amount`, in base units; undefined when the cap is off. */
  sendCapOf(ctx: StoreReader, denom: string): bigint | undefined;
}
