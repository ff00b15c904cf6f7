/**
 * What x/customstaking needs from other modules. Their keepers satisfy these structurally;
 * `app/` passes them in. Until x/gov is wired, `fixedProperties()` and `allowAll` stand in.
 */
import type { Context } from '../../../runtime/context';
import type { KVReader } from '../../../store/types';
import type { Coins } from '../../../types/coins';
import { DEFAULT_DEPOSIT_PROPERTIES, DEFAULT_VALIDATOR_PROPERTIES, type DepositProperties, type ValidatorProperties } from './params';

/** Anything that hands out stores for reading (a Context or a QueryContext). */
export interface StoreReader {
  store(key: string): KVReader;
}

/** x/accountid: stable account identities behind signer references. */
export interface AccountResolver {
  /** AccountID named by a reference (kira… address, name, numeric ID); undefined when none. */
  tryResolve(ctx: StoreReader, ref: string): bigint | undefined;
  /** As `tryResolve`, but an unknown kira… address becomes a new account (genesis validators). */
  resolveOrCreate(ctx: Context, ref: string): bigint;
  /** The canonical kira… address of an account. */
  addressOf(ctx: StoreReader, id: bigint): string;
}

/** x/accountid: the module account that holds deposits, created on the first deposit. */
export interface ModuleAccounts {
  /** Creates the module account `<module>@sys` unless it exists; returns it. */
  ensureModuleAccount(ctx: Context, module: string): { id: bigint };
}

/** x/bank: moves deposits between the operator, the deposit account and the withdraw account. */
export interface DepositBank {
  /** Throws ErrInsufficientFunds when `from` holds less. */
  sendCoins(ctx: Context, from: bigint, to: bigint, amount: Coins): void;
}

/** x/gov: the permission check (blacklist beats whitelist, roles included). */
export interface PermissionChecker {
  /** True when the account named by `address` holds `perm` (PermValue number). */
  isAllowed(ctx: Context, address: string, perm: number): boolean;
  /** The addresses of every account holding `perm` (the `actors` of sekaid's validators query). */
  holders?(ctx: StoreReader, perm: number): string[];
}

/** x/gov: the network properties the validator modules read. */
export interface ValidatorPropertiesSource {
  validatorProperties(ctx: StoreReader): ValidatorProperties;
  /** MIN_VALIDATOR_DEPOSIT and MIN_DELEGATION_PERIOD; the defaults (no deposits) when absent. */
  depositProperties?(ctx: StoreReader): DepositProperties;
}

/** Network properties fixed at `overrides` over the defaults (tests; chains without x/gov). */
export function fixedProperties(overrides: Partial<ValidatorProperties & DepositProperties> = {}): ValidatorPropertiesSource {
  const props: ValidatorProperties = { ...DEFAULT_VALIDATOR_PROPERTIES, ...overrides };
  const deposits: DepositProperties = { ...DEFAULT_DEPOSIT_PROPERTIES, ...overrides };
  return { validatorProperties: () => props, depositProperties: () => deposits };
}
