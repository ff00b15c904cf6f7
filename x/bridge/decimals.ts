/**
 * Exact conversion between an external token's base units and its local denom's base
 * units (see README.md, "Decimals"). With e external and l local decimals:
 *
 *   external → local (deposits, balance syncs): local = a × 10^(l−e) when l ≥ e;
 *     otherwise local = ⌊a / 10^(e−l)⌋ and the remainder a mod 10^(e−l) is dust, kept in
 *     external units and reported, never minted and never dropped silently.
 *   local → external (withdrawals): external = x × 10^(e−l) when e ≥ l; otherwise x must
 *     be a multiple of 10^(l−e), since a finer amount cannot leave the chain.
 *
 * bigint throughout: amounts reach 2^256 − 1 and decimals up to 36.
 */
import type { Asset } from '../../proto/gen/sekai/bridge/v1/bridge';
import { ErrUnrepresentableAmount } from './types/errors';

/** The local precision when genesis names none: 6, as ukex. */
export const DEFAULT_LOCAL_DECIMALS = 6;

const pow10 = (n: number): bigint => 10n ** BigInt(n);

export interface LocalAmount {
  /** Local base units. */
  local: bigint;
  /** What is left in external base units (0 unless the local side is coarser). */
  dust: bigint;
}

/** An external amount in local base units, with the dust the local precision cannot hold. */
export function externalToLocal(asset: Pick<Asset, 'decimals' | 'localDecimals'>, amount: bigint): LocalAmount {
  if (asset.localDecimals >= asset.decimals) return { local: amount * pow10(asset.localDecimals - asset.decimals), dust: 0n };
  const unit = pow10(asset.decimals - asset.localDecimals);
  return { local: amount / unit, dust: amount % unit };
}

/** A local amount in external base units; refused when it is finer than the external precision. */
export function localToExternal(asset: Pick<Asset, 'decimals' | 'localDecimals' | 'localDenom' | 'externalDenom'>, amount: bigint): bigint {
  if (asset.decimals >= asset.localDecimals) return amount * pow10(asset.decimals - asset.localDecimals);
  const unit = pow10(asset.localDecimals - asset.decimals);
  if (amount % unit !== 0n) {
    throw ErrUnrepresentableAmount.wrap(`${amount}${asset.localDenom} is not a multiple of ${unit} (${asset.externalDenom} has ${asset.decimals} decimals, ${asset.localDenom} ${asset.localDecimals})`);
  }
  return amount / unit;
}
