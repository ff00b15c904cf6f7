/**
 * secp256k1 ECDSA as the Cosmos SDK uses it for account signatures.
 *
 * Acceptance rules (identical for every backend, checked here before the backend runs):
 * - the signature is exactly 64 bytes `r || s` (big-endian), with 1 <= r, s < n;
 * - s <= n/2 (low-S): the SDK rejects the malleable high-S twin, so we do too, explicitly,
 *   even though both backends below already refuse it;
 * - the public key is the 33-byte compressed SEC1 form (prefix 0x02 or 0x03) of a point on
 *   the curve. The 65-byte uncompressed form is refused: the SDK's `secp256k1.PubKey` is 33
 *   bytes and its address is derived from those 33 bytes, so a 65-byte key could never
 *   match an account;
 * - the message is a 32-byte digest (sha256 of the sign bytes), not hashed again.
 * Verification never throws on bad input; it returns false.
 *
 * Backends: the native libsecp256k1 binding of the `secp256k1` package (about 100 µs per
 * verify) and, when no prebuilt binary loads, @noble/curves (pure JS, about 35x slower).
 * Both implement the same rules, which the differential tests check case by case, so a
 * verdict never depends on which backend or thread computed it.
 * SEKAI_SECP256K1_BACKEND=noble forces the pure-JS backend.
 */
import type * as NobleSecp256k1 from '@noble/curves/secp256k1.js' with { 'resolution-mode': 'import' };

import { ErrInvalidMessageHash, ErrInvalidPrivateKey } from './errors';

export type Secp256k1BackendName = 'native' | 'noble';

/** The raw operations a backend provides; inputs are already checked against the rules above. */
export interface Secp256k1Backend {
  readonly name: Secp256k1BackendName;
  /** The module path a worker thread requires to load the same backend. */
  readonly modulePath: string;
  verify(sig64: Uint8Array, msgHash32: Uint8Array, pubkey33: Uint8Array): boolean;
  sign(privkey32: Uint8Array, msgHash32: Uint8Array): Uint8Array;
  publicKey(privkey32: Uint8Array): Uint8Array;
}

interface NativeSecp256k1 {
  ecdsaVerify(sig: Uint8Array, msg32: Uint8Array, pubkey: Uint8Array): boolean;
  ecdsaSign(msg32: Uint8Array, seckey: Uint8Array): { signature: Uint8Array; recid: number };
  publicKeyCreate(seckey: Uint8Array, compressed?: boolean): Uint8Array;
  privateKeyVerify(seckey: Uint8Array): boolean;
}

/** n/2 for secp256k1, big-endian: the largest s the SDK accepts. */
const HALF_N = Uint8Array.from(
  Buffer.from('7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0', 'hex'),
);

function loadNative(): Secp256k1Backend | undefined {
  let lib: NativeSecp256k1;
  let modulePath: string;
  try {
    // `secp256k1/bindings` is the N-API addon only; the package root would silently fall back
    // to its pure-JS elliptic code, which is slower than noble and not what we benchmark.
    modulePath = require.resolve('secp256k1/bindings');
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily so a missing binary is not fatal
    lib = require(modulePath) as NativeSecp256k1;
  } catch {
    return undefined;
  }
  return {
    name: 'native',
    modulePath,
    verify(sig, msg, pub) {
      try {
        return lib.ecdsaVerify(sig, msg, pub);
      } catch {
        // The binding throws when r or s overflow n or the point does not parse.
        return false;
      }
    },
    sign(priv, msg) {
      // libsecp256k1 signs with RFC 6979 nonces and always returns low-S.
      return Uint8Array.from(lib.ecdsaSign(msg, priv).signature);
    },
    publicKey(priv) {
      return Uint8Array.from(lib.publicKeyCreate(priv, true));
    },
  };
}

function loadNoble(): Secp256k1Backend | undefined {
  let secp: typeof NobleSecp256k1.secp256k1;
  let modulePath: string;
  try {
    modulePath = require.resolve('@noble/curves/secp256k1.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- ESM package, loaded through require(esm)
    secp = (require(modulePath) as typeof NobleSecp256k1).secp256k1;
  } catch {
    return undefined;
  }
  const opts = { prehash: false, lowS: true } as const;
  return {
    name: 'noble',
    modulePath,
    verify(sig, msg, pub) {
      try {
        return secp.verify(sig, msg, pub, opts);
      } catch {
        return false;
      }
    },
    sign(priv, msg) {
      return secp.sign(msg, priv, opts);
    },
    publicKey(priv) {
      return secp.getPublicKey(priv, true);
    },
  };
}

const loaders: Record<Secp256k1BackendName, () => Secp256k1Backend | undefined> = {
  native: loadNative,
  noble: loadNoble,
};
const loaded = new Map<Secp256k1BackendName, Secp256k1Backend | null>();

/** The named backend, or undefined when it cannot load on this machine. */
export function getSecp256k1Backend(name: Secp256k1BackendName): Secp256k1Backend | undefined {
  // Caches the loaded module handle only; no verdict depends on it.
  let backend = loaded.get(name);
  if (backend === undefined) {
    backend = loaders[name]() ?? null;
    loaded.set(name, backend);
  }
  return backend ?? undefined;
}

function chooseBackend(): Secp256k1Backend {
  const forced = process.env.SEKAI_SECP256K1_BACKEND;
  if (forced === 'noble' || forced === 'native') {
    const b = getSecp256k1Backend(forced);
    if (b === undefined) throw new Error(`secp256k1 backend ${forced} (SEKAI_SECP256K1_BACKEND) cannot load`);
    return b;
  }
  const b = getSecp256k1Backend('native') ?? getSecp256k1Backend('noble');
  if (b === undefined) throw new Error('no secp256k1 backend can load (neither the native binding nor @noble/curves)');
  return b;
}

const active = chooseBackend();

/** The backend used by verifySecp256k1 and the verifiers: 'native' unless it could not load. */
export const secp256k1BackendName: Secp256k1BackendName = active.name;

/** The active backend object (for worker threads and benchmarks). */
export function activeSecp256k1Backend(): Secp256k1Backend {
  return active;
}

function isUint8Array(x: unknown): x is Uint8Array {
  return x instanceof Uint8Array;
}

/** True when the 64-byte signature has s <= n/2. */
export function isLowS(sig64: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) {
    const s = sig64[32 + i]!;
    const h = HALF_N[i]!;
    if (s !== h) return s < h;
  }
  return true;
}

/**
 * The checks that need no curve arithmetic: types, lengths, pubkey prefix and low-S.
 * A set that fails here is invalid under every backend.
 */
export function isWellFormedSecp256k1(pubkey: unknown, msgHash: unknown, sig: unknown): boolean {
  return (
    isUint8Array(pubkey) &&
    isUint8Array(msgHash) &&
    isUint8Array(sig) &&
    pubkey.length === 33 &&
    (pubkey[0] === 0x02 || pubkey[0] === 0x03) &&
    msgHash.length === 32 &&
    sig.length === 64 &&
    isLowS(sig)
  );
}

/** Verifies with a given backend under the Cosmos rules (see the module comment). */
export function verifySecp256k1With(
  backend: Secp256k1Backend,
  pubkey33: Uint8Array,
  msgHash32: Uint8Array,
  sig64: Uint8Array,
): boolean {
  if (!isWellFormedSecp256k1(pubkey33, msgHash32, sig64)) return false;
  return backend.verify(sig64, msgHash32, pubkey33);
}

/**
 * Verifies a Cosmos secp256k1 signature over a 32-byte digest with the active backend.
 * Returns false for any malformed input, high-S signature or uncompressed key; never throws.
 */
export function verifySecp256k1(pubkey33: Uint8Array, msgHash32: Uint8Array, sig64: Uint8Array): boolean {
  return verifySecp256k1With(active, pubkey33, msgHash32, sig64);
}

function checkPrivateKey(privkey32: Uint8Array): void {
  if (!isUint8Array(privkey32) || privkey32.length !== 32) {
    throw ErrInvalidPrivateKey.wrap('secp256k1 private key must be 32 bytes');
  }
  // 1 <= d < n; compare big-endian against n.
  const n = Buffer.from('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141', 'hex');
  if (Buffer.compare(Buffer.from(privkey32.buffer, privkey32.byteOffset, 32), n) >= 0 || privkey32.every((b) => b === 0)) {
    throw ErrInvalidPrivateKey.wrap('secp256k1 private key must be in [1, n)');
  }
}

/** Signs a 32-byte digest: a deterministic (RFC 6979), low-S, 64-byte `r || s` signature. */
export function signSecp256k1(privkey32: Uint8Array, msgHash32: Uint8Array): Uint8Array {
  checkPrivateKey(privkey32);
  if (!isUint8Array(msgHash32) || msgHash32.length !== 32) throw ErrInvalidMessageHash.wrap(`got ${describeLength(msgHash32)}`);
  return active.sign(privkey32, msgHash32);
}

/** The 33-byte compressed public key of a 32-byte private key. */
export function publicKeyFromPrivate(privkey32: Uint8Array): Uint8Array {
  checkPrivateKey(privkey32);
  return active.publicKey(privkey32);
}

function describeLength(x: unknown): string {
  return isUint8Array(x) ? `${x.length} bytes` : typeof x;
}
