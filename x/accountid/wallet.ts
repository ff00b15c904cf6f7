/**
 * External wallets: chain-agnostic strings `<kind>:<address>`, each bound to at most one
 * account.
 *
 * - `kind` is 1–16 of `a-z0-9`; `address` is 1–128 visible ASCII characters.
 * - `eth:0x<40 lowercase hex>` (any EVM chain) can be linked by message: the wallet signs
 *   with `personal_sign` (EIP-191) the text
 *       "sekai-ts link-wallet\nchain-id: <chain_id>\naccount: <AccountID>\nwallet: <wallet>"
 *   and MsgLinkWallet carries the 65-byte r||s||v signature (v = 27/28 or 0/1, low-S).
 *   The recovered key's keccak256 address must equal the wallet's. Lowercase hex is the
 *   one accepted spelling, so a wallet cannot be bound twice under two spellings.
 * - Other kinds are bound through genesis or, later, through x/bridge deposits; linking
 *   them by message is refused (ErrUnsupportedWallet).
 */
import { ErrInvalidWallet, ErrInvalidWalletProof, ErrUnsupportedWallet } from './types/errors';

const WALLET_PATTERN = /^([a-z0-9]{1,16}):([\x21-\x7e]{1,128})$/;
const ETH_ADDRESS = /^0x[0-9a-f]{40}$/;
const HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

export interface ParsedWallet {
  kind: string;
  address: string;
}

/** Validates a wallet string's syntax (and, for `eth`, its canonical form). */
export function parseWallet(wallet: string): ParsedWallet {
  const m = WALLET_PATTERN.exec(wallet);
  if (!m) throw ErrInvalidWallet.wrap(`${JSON.stringify(wallet)} is not <kind>:<address> (kind a-z0-9, up to 16; address up to 128 visible ASCII)`);
  const [, kind, address] = m;
  if (kind === 'eth' && !ETH_ADDRESS.test(address)) {
    throw ErrInvalidWallet.wrap(`${JSON.stringify(wallet)}: an eth wallet is 0x and 40 lowercase hex digits`);
  }
  return { kind, address };
}

/** The text an EVM wallet signs with personal_sign to link itself to `accountId`. */
export function linkWalletText(chainId: string, accountId: bigint, wallet: string): string {
  return `sekai-ts link-wallet\nchain-id: ${chainId}\naccount: ${accountId.toString()}\nwallet: ${wallet}`;
}

interface Keccak {
  (data: Uint8Array): Uint8Array;
}
interface Recover {
  ecdsaRecover(sig: Uint8Array, recid: number, msg32: Uint8Array, compressed: boolean): Uint8Array;
}

// Pure functions loaded once; they hold no state, so sharing them changes no result.
let keccak: Keccak | undefined;
let recover: Recover | undefined;
function keccak256(data: Uint8Array): Uint8Array {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- ESM package, loaded through require(esm)
  keccak ??= (require('@noble/hashes/sha3.js') as { keccak_256: Keccak }).keccak_256;
  return keccak(data);
}
function recoverer(): Recover {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- native binding with a JS fallback
  recover ??= require('secp256k1') as Recover;
  return recover;
}

/** EIP-191 personal_sign digest of a text. */
export function personalSignDigest(text: string): Uint8Array {
  const body = new TextEncoder().encode(text);
  const prefix = new TextEncoder().encode(`\x19Ethereum Signed Message:\n${body.length}`);
  const all = new Uint8Array(prefix.length + body.length);
  all.set(prefix);
  all.set(body, prefix.length);
  return keccak256(all);
}

/** The EVM address (0x + 40 lowercase hex) of a 65-byte uncompressed public key. */
export function ethAddressOf(uncompressed65: Uint8Array): string {
  return '0x' + Buffer.from(keccak256(uncompressed65.subarray(1)).subarray(12)).toString('hex');
}

function bigFrom(bytes: Uint8Array): bigint {
  return BigInt('0x' + (Buffer.from(bytes).toString('hex') || '0'));
}

/**
 * Checks the proof that the holder of `wallet` wants it linked to `accountId` on
 * `chainId`. Throws ErrUnsupportedWallet for kinds that cannot be linked by message and
 * ErrInvalidWalletProof for a bad signature.
 */
export function verifyWalletProof(chainId: string, accountId: bigint, wallet: string, signature: Uint8Array): void {
  const { kind, address } = parseWallet(wallet);
  if (kind !== 'eth') throw ErrUnsupportedWallet.wrap(`${kind} wallets are bound through genesis or x/bridge, not by message`);
  if (signature.length !== 65) throw ErrInvalidWalletProof.wrap(`signature is ${signature.length} bytes, expected 65 (r||s||v)`);
  const v = signature[64];
  const recid = v >= 27 ? v - 27 : v;
  if (recid !== 0 && recid !== 1) throw ErrInvalidWalletProof.wrap(`recovery byte ${v} is not 0, 1, 27 or 28`);
  const s = bigFrom(signature.subarray(32, 64));
  if (s === 0n || s > HALF_N) throw ErrInvalidWalletProof.wrap('signature has a zero or high S value');
  let pub: Uint8Array;
  try {
    pub = recoverer().ecdsaRecover(signature.subarray(0, 64), recid, personalSignDigest(linkWalletText(chainId, accountId, wallet)), false);
  } catch {
    throw ErrInvalidWalletProof.wrap('no public key recovers from the signature');
  }
  const got = ethAddressOf(pub);
  if (got !== address) throw ErrInvalidWalletProof.wrap(`signature is by ${got}, not ${address}`);
}
