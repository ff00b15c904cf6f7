/**
 * One-shot hashes over node:crypto.
 *
 * `crypto.hash` (Node >= 20.12) skips the Hash object that `createHash` allocates; for the
 * short inputs a chain hashes (tx bytes, sign docs, 80-byte Merkle nodes) the JS to C++ call is
 * most of the cost, so this is about 1.5x faster than createHash().update().digest().
 * Both return a Buffer, which is a Uint8Array.
 */
import * as nodeCrypto from 'node:crypto';

type OneShot = (algorithm: string, data: Uint8Array, outputEncoding: 'buffer') => Buffer;

const oneShot: OneShot | undefined =
  typeof (nodeCrypto as { hash?: unknown }).hash === 'function'
    ? ((nodeCrypto as unknown as { hash: OneShot }).hash)
    : undefined;

type OneShotBinary = (algorithm: string, data: Uint8Array, outputEncoding: 'binary') => string;
const oneShotBinary = oneShot as unknown as OneShotBinary | undefined;

/** SHA-256 of `data` (32 bytes). */
export function sha256(data: Uint8Array): Uint8Array {
  if (oneShot !== undefined) return oneShot('sha256', data, 'buffer');
  return nodeCrypto.createHash('sha256').update(data).digest();
}

/**
 * SHA-256 of `data` as a plain 32-byte array. A 'buffer' digest gets an ArrayBuffer of its
 * own, memory outside the JS heap that the collector is told about per allocation; read as a
 * 'binary' string and copied, the digest stays on the heap (V8 keeps typed arrays of up to 64
 * bytes there), which costs less per hash on the per-tx and per-node paths.
 */
export function sha256Bytes(data: Uint8Array): Uint8Array {
  const s = oneShotBinary !== undefined ? oneShotBinary('sha256', data, 'binary') : nodeCrypto.createHash('sha256').update(data).digest('binary');
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** SHA-256 of the concatenation of `parts`, without building the concatenation. */
export function sha256Concat(...parts: Uint8Array[]): Uint8Array {
  const h = nodeCrypto.createHash('sha256');
  for (const part of parts) h.update(part);
  return h.digest();
}

/** RIPEMD-160 of `data` (20 bytes); used only for account addresses. */
export function ripemd160(data: Uint8Array): Uint8Array {
  if (oneShot !== undefined) return oneShot('ripemd160', data, 'buffer');
  return nodeCrypto.createHash('ripemd160').update(data).digest();
}
