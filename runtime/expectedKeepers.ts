/**
 * What the runtime's ante pipeline needs from other modules. x/accountid owns accounts,
 * a bank keeper owns balances, x/gov owns fee parameters; each satisfies these interfaces
 * structurally and `app/app.ts` passes them in.
 */
import type { Coins } from '../types/coins';
import type { Context } from './context';
import type { SignerRef } from './module';

/** An account as the ante pipeline sees it. */
export interface RuntimeAccount {
  /** The account's stable number (its AccountID); signed over in SignDoc.account_number. */
  accountNumber: bigint;
  /** Next expected sequence; every accepted tx increments it. */
  sequence: bigint;
  /** Compressed (33-byte) secp256k1 keys allowed to sign for the account; may be empty. */
  pubKeys: readonly Uint8Array[];
  /** Canonical bech32 address, used in events (`acc_seq`, `message.sender`, `fee_payer`). */
  address: string;
}

export interface AccountKeeper {
  /** Resolves a signer reference; undefined when no such account exists. */
  resolveSigner(ctx: Context, ref: SignerRef): RuntimeAccount | undefined;
  /**
   * Binds a first key to an account that has none (an address-only account that
   * received funds), as the Cosmos SDK does on first use. Throws `ErrInvalidPubKey`
   * when the key does not derive the account's address. Returns the updated account.
   */
  bindFirstPubKey(ctx: Context, account: RuntimeAccount, pubKey: Uint8Array): RuntimeAccount;
  setSequence(ctx: Context, account: RuntimeAccount, sequence: bigint): void;
}

export interface BankKeeper {
  /** Moves `amount` from the account to a module account; throws `ErrInsufficientFunds`. */
  sendCoinsFromAccountToModule(ctx: Context, from: RuntimeAccount, toModule: string, amount: Coins): void;
}

/** Fee bounds of one tx, in one denom (KIRA's min_tx_fee / max_tx_fee network properties). */
export interface FeeBounds {
  denom: string;
  minTxFee: bigint;
  maxTxFee: bigint;
}

export interface FeeParamsKeeper {
  feeBounds(ctx: Context): FeeBounds;
}

/** Defaults used until x/gov provides its network properties. */
export const DEFAULT_FEE_BOUNDS: FeeBounds = { denom: 'ukex', minTxFee: 100n, maxTxFee: 1_000_000n };

export const defaultFeeParams: FeeParamsKeeper = { feeBounds: () => DEFAULT_FEE_BOUNDS };

/** The module account that receives fees. */
export const FEE_COLLECTOR = 'fee_collector';
