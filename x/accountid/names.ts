/**
 * Account names and references.
 *
 * Alphabet (KuChain's): lowercase `a-z`, digits `0-9`, `.` and `_`, plus at most one `@`
 * that is neither first nor last; at most 17 characters in all (KuChain packs a name into
 * 17 bytes; we keep its limit so names stay short enough for CLIs and explorers).
 *
 * Names users register (MsgRegisterName):
 * - 3 to 17 characters: one- and two-letter names are too easy to mistake and too few
 *   (1 332 of them) to hand out first-come-first-served; KuChain's "exactly 12" rule made
 *   short readable names impossible, which defeats the point of a name;
 * - the first character is a letter, so a name never reads as a numeric AccountID and
 *   never starts like a number in a CLI argument;
 * - names ending in `@sys` are reserved for module accounts (`fee_collector@sys`,
 *   `notarypay@sys`, `bridge@sys`): the module name plus `@sys`.
 */
import { addressFromBech32 } from '../../crypto/address';
import { CodedError } from '../../types/errors';
import { ErrInvalidName, ErrInvalidRef, ErrNameLength, ErrReservedName } from './types/errors';

export const NAME_MAX_LENGTH = 17;
export const USER_NAME_MIN_LENGTH = 3;
export const SYSTEM_SUFFIX = '@sys';

const NAME_CHARS = /^[a-z0-9._@]+$/;

/** Checks the alphabet, the `@` rule and the overall length; any name in state passes this. */
export function validateName(name: string): void {
  if (name.length === 0 || name.length > NAME_MAX_LENGTH) {
    throw ErrNameLength.wrap(`name ${JSON.stringify(name)} has ${name.length} characters; names have 1 to ${NAME_MAX_LENGTH}`);
  }
  if (!NAME_CHARS.test(name)) {
    throw ErrInvalidName.wrap(`name ${JSON.stringify(name)} may only contain a-z, 0-9, '.', '_' and one '@'`);
  }
  const at = name.indexOf('@');
  if (at !== -1) {
    if (name.indexOf('@', at + 1) !== -1) throw ErrInvalidName.wrap(`name ${JSON.stringify(name)} has more than one '@'`);
    if (at === 0 || at === name.length - 1) throw ErrInvalidName.wrap(`name ${JSON.stringify(name)} must not start or end with '@'`);
  }
}

/** The rules for a name a user registers or receives by transfer (see the module comment). */
export function validateUserName(name: string): void {
  validateName(name);
  if (name.length < USER_NAME_MIN_LENGTH) {
    throw ErrNameLength.wrap(`name ${JSON.stringify(name)} has ${name.length} characters; registered names have ${USER_NAME_MIN_LENGTH} to ${NAME_MAX_LENGTH}`);
  }
  if (!/^[a-z]/.test(name)) throw ErrInvalidName.wrap(`name ${JSON.stringify(name)} must start with a letter`);
  if (isSystemName(name)) throw ErrReservedName.wrap(`names ending in ${SYSTEM_SUFFIX} belong to module accounts`);
}

export function isSystemName(name: string): boolean {
  return name.endsWith(SYSTEM_SUFFIX);
}

/** The name of a module's account: `<module>@sys`. */
export function moduleAccountName(module: string): string {
  const name = module + SYSTEM_SUFFIX;
  validateName(name);
  return name;
}

/** What a reference string denotes, before any state is read. */
export type ParsedRef =
  | { kind: 'id'; id: bigint }
  | { kind: 'wallet'; wallet: string }
  | { kind: 'address'; text: string }
  | { kind: 'name'; name: string };

const MAX_U64 = (1n << 64n) - 1n;

/**
 * Classifies a reference: a decimal AccountID (canonical: no leading zeros), a wallet
 * (`kind:address`, names never contain ':'), a bech32 address (longer than any name), or
 * a name. Only the syntax is checked here.
 */
/**
 * parseRef for a message's recipient field, checked by validateBasic: an address must also be
 * a well-formed `kira1…` bech32 address (checksum, prefix, 20 bytes), so a mistyped recipient is
 * refused at CheckTx, free of charge, instead of failing in the block after the fee is taken.
 */
export function checkRecipientRef(ref: string): ParsedRef {
  const parsed = parseRef(ref);
  if (parsed.kind === 'address') {
    try {
      addressFromBech32('account', parsed.text);
    } catch (err) {
      throw ErrInvalidRef.wrap(`${JSON.stringify(ref)} is not a kira account address (${err instanceof CodedError ? err.description : 'malformed'})`);
    }
  }
  return parsed;
}

export function parseRef(ref: string): ParsedRef {
  if (ref.length === 0) throw ErrInvalidRef.wrap('empty account reference');
  if (/^[0-9]+$/.test(ref)) {
    if (ref.length > 1 && ref[0] === '0') throw ErrInvalidRef.wrap(`account id ${JSON.stringify(ref)} has leading zeros`);
    if (ref.length > 20 || BigInt(ref) > MAX_U64) throw ErrInvalidRef.wrap(`account id ${ref} is outside uint64`);
    return { kind: 'id', id: BigInt(ref) };
  }
  if (ref.includes(':')) return { kind: 'wallet', wallet: ref };
  if (ref.length > NAME_MAX_LENGTH) return { kind: 'address', text: ref };
  try {
    validateName(ref);
  } catch {
    throw ErrInvalidRef.wrap(`${JSON.stringify(ref)} is neither an account id, a name, an address nor a wallet`);
  }
  return { kind: 'name', name: ref };
}
