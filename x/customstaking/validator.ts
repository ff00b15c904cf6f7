/**
 * Pure helpers on validator records and the text users give for them: amounts, addresses,
 * monikers, commission rates. They read no state, so the keeper, the message server, the
 * CLI and genesis share them.
 */
import type { Context } from '../../runtime/context';
import { addressFromBech32, addressToBech32 } from '../../crypto/address';
import { CodedError } from '../../types/errors';
import { Dec } from '../../types/dec';
import { Validator, ValidatorStatus, validatorStatusToJSON } from '../../proto/gen/sekai/staking/v1/staking';
import { ErrInvalidAmount, ErrInvalidCommissionRate, ErrInvalidMoniker, ErrInvalidValidatorAddress, ErrInvalidWithdrawAccount } from './types/errors';

/** Longest moniker accepted (sekai's identity-record value limit is far larger; 64 keeps lists readable). */
export const MAX_MONIKER_LENGTH = 64;

/** Parses a ukex amount ("1000" or "1000ukex"); ErrInvalidAmount unless a positive integer. */
export function parseDepositAmount(text: string, allowZero = false): bigint {
  const m = /^(\d+)(ukex)?$/.exec(text.trim());
  if (!m) throw ErrInvalidAmount.wrap(`got ${JSON.stringify(text)}`);
  const v = BigInt(m[1]);
  if (v === 0n && !allowZero) throw ErrInvalidAmount.wrap('got 0');
  // 2^256 bounds every bank amount.
  if (v >= 1n << 256n) throw ErrInvalidAmount.wrap('beyond 256 bits');
  return v;
}

/** Checks a withdraw account: a kira1… account address. Returns it canonical. */
export function parseWithdrawAccount(text: string): string {
  try {
    return addressToBech32('account', addressFromBech32('account', text.trim()));
  } catch (err) {
    throw ErrInvalidWithdrawAccount.wrap(`${JSON.stringify(text)}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The deposit of a validator in ukex. */
export function depositOf(v: Validator): bigint {
  return v.deposit === '' ? 0n : BigInt(v.deposit);
}


function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

/** Unix seconds of the block time (sub-second precision is irrelevant for day-long delays). */
export function blockSeconds(ctx: Context): bigint {
  return ctx.time.seconds;
}

/** The status name sekai prints ("ACTIVE", "PAUSED", …). */
export function statusName(s: ValidatorStatus): string {
  return validatorStatusToJSON(s);
}

/** Parses a commission rate; ErrInvalidCommissionRate unless a decimal in [0, 1]. */
export function parseCommissionRate(text: string): Dec {
  let d: Dec;
  try {
    d = Dec.fromString(text.trim());
  } catch (err) {
    throw ErrInvalidCommissionRate.wrap(`"${text}" (${err instanceof CodedError ? err.message : 'unparsable'})`);
  }
  if (d.isNegative() || d.gt(Dec.ONE)) throw ErrInvalidCommissionRate.wrap(`got ${text}`);
  return d;
}

/** Trims and checks a moniker: 1–64 printable characters. */
export function normalizeMoniker(moniker: string): string {
  const m = moniker.trim();
  if (m.length === 0) throw ErrInvalidMoniker.wrap('moniker is empty');
  if (m.length > MAX_MONIKER_LENGTH) throw ErrInvalidMoniker.wrap(`moniker is longer than ${MAX_MONIKER_LENGTH} characters`);
  // Control characters would corrupt listings.
  if (/[\u0000-\u001f\u007f]/.test(m)) throw ErrInvalidMoniker.wrap('moniker contains control characters');
  return m;
}

/** The 20-byte operator address of a kiravaloper… string; ErrInvalidValidatorAddress otherwise. */
export function parseValAddress(text: string): Uint8Array {
  try {
    return addressFromBech32('validator', text);
  } catch (err) {
    throw ErrInvalidValidatorAddress.wrap(`${JSON.stringify(text)}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Equal voting power: 1 for an ACTIVE validator, 0 for every other status. */
export function consensusPower(v: Validator): bigint {
  return v.status === ValidatorStatus.ACTIVE ? 1n : 0n;
}

/** Hex of a validator's operator address (stable map key in tests and invariants). */
export function valKeyHex(v: Validator): string {
  return hex(v.valKey);
}
