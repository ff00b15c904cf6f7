/**
 * Bech32 (BIP-173) as Cosmos uses it for addresses: 5-bit groups, the original bech32
 * checksum (constant 1, not bech32m), lowercase output, all-lowercase or all-uppercase input.
 */
import { ErrInvalidBech32 } from './errors';

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
const CHAR_VALUE = new Map<string, number>([...CHARSET].map((c, i) => [c, i]));

/**
 * Longest string accepted. The Cosmos SDK decodes addresses with a 1023-character limit
 * (BIP-173's 90 is too short for 32-byte module addresses with long prefixes).
 */
export const BECH32_MAX_LENGTH = 1023;

function polymod(values: number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GENERATOR[i]!;
  }
  return chk >>> 0;
}

function expandPrefix(prefix: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < prefix.length; i++) out.push(prefix.charCodeAt(i) >> 5);
  out.push(0);
  for (let i = 0; i < prefix.length; i++) out.push(prefix.charCodeAt(i) & 31);
  return out;
}

function convertBits(data: ArrayLike<number>, from: number, to: number, pad: boolean): number[] | undefined {
  let acc = 0;
  let bits = 0;
  const out: number[] = [];
  const maxv = (1 << to) - 1;
  for (let i = 0; i < data.length; i++) {
    acc = (acc << from) | data[i]!;
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push((acc >>> bits) & maxv);
    }
    acc &= (1 << bits) - 1;
  }
  if (pad) {
    if (bits > 0) out.push((acc << (to - bits)) & maxv);
  } else if (bits >= from || ((acc << (to - bits)) & maxv) !== 0) {
    // Leftover bits must be fewer than one input group and all zero.
    return undefined;
  }
  return out;
}

function checkPrefix(prefix: string): void {
  if (prefix.length < 1 || prefix.length > 83) throw ErrInvalidBech32.wrap(`prefix length ${prefix.length} is not in [1, 83]`);
  for (let i = 0; i < prefix.length; i++) {
    const c = prefix.charCodeAt(i);
    if (c < 33 || c > 126) throw ErrInvalidBech32.wrap('prefix has a character outside US-ASCII 33-126');
  }
  if (prefix !== prefix.toLowerCase()) throw ErrInvalidBech32.wrap('prefix must be lowercase');
}

/** Encodes bytes under a lowercase prefix. */
export function encodeBech32(prefix: string, data: Uint8Array): string {
  checkPrefix(prefix);
  const words = convertBits(data, 8, 5, true)!;
  const values = [...expandPrefix(prefix), ...words, 0, 0, 0, 0, 0, 0];
  const mod = polymod(values) ^ 1;
  let out = prefix + '1';
  for (const w of words) out += CHARSET[w];
  for (let i = 0; i < 6; i++) out += CHARSET[(mod >>> (5 * (5 - i))) & 31];
  if (out.length > BECH32_MAX_LENGTH) throw ErrInvalidBech32.wrap(`encoding is ${out.length} characters, more than ${BECH32_MAX_LENGTH}`);
  return out;
}

/** Decodes a bech32 string into its (lowercase) prefix and bytes; throws ErrInvalidBech32. */
export function decodeBech32(text: string): { prefix: string; data: Uint8Array } {
  if (typeof text !== 'string') throw ErrInvalidBech32.wrap(`expected a string, got ${typeof text}`);
  if (text.length > BECH32_MAX_LENGTH) throw ErrInvalidBech32.wrap(`${text.length} characters, more than ${BECH32_MAX_LENGTH}`);
  const lower = text.toLowerCase();
  if (text !== lower && text !== text.toUpperCase()) throw ErrInvalidBech32.wrap('mixed case');
  const sep = lower.lastIndexOf('1');
  if (sep < 1) throw ErrInvalidBech32.wrap('no prefix separator "1"');
  if (lower.length - sep - 1 < 6) throw ErrInvalidBech32.wrap('checksum is too short');
  const prefix = lower.slice(0, sep);
  checkPrefix(prefix);
  const words: number[] = [];
  for (let i = sep + 1; i < lower.length; i++) {
    const v = CHAR_VALUE.get(lower[i]!);
    if (v === undefined) throw ErrInvalidBech32.wrap(`invalid character ${JSON.stringify(lower[i])} at position ${i}`);
    words.push(v);
  }
  if (polymod([...expandPrefix(prefix), ...words]) !== 1) throw ErrInvalidBech32.wrap('checksum mismatch');
  const bytes = convertBits(words.slice(0, -6), 5, 8, false);
  if (bytes === undefined) throw ErrInvalidBech32.wrap('invalid padding');
  return { prefix, data: Uint8Array.from(bytes) };
}
