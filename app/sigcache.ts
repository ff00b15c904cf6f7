/**
 * Signatures already verified by this node (in CheckTx, or in a batch while a proposal was
 * processed), so FinalizeBlock does not verify them again.
 *
 * Safe for consensus: an entry is keyed by the full (public key, digest, signature) triple
 * and only ever records `true`, and secp256k1 verification is a pure function of that
 * triple. A hit returns exactly what verifying would return; eviction only costs time.
 */
import type { VerifySignature } from './ante';

/** Entries kept: about one block's worth of mempool txs at the G1 rate, ~20 MB of keys. */
export const DEFAULT_SIG_CACHE_ENTRIES = 100_000;

export class VerifiedSignatures {
  private readonly seen = new Map<string, true>();

  constructor(private readonly capacity = DEFAULT_SIG_CACHE_ENTRIES) {}

  get size(): number {
    return this.seen.size;
  }

  has(pub: Uint8Array, digest: Uint8Array, sig: Uint8Array): boolean {
    return this.seen.has(key(pub, digest, sig));
  }

  add(pub: Uint8Array, digest: Uint8Array, sig: Uint8Array): void {
    this.addKey(key(pub, digest, sig));
  }

  private addKey(k: string): void {
    if (this.seen.has(k)) return;
    if (this.seen.size >= this.capacity) {
      // Oldest first: Map iteration is insertion order; which entry goes never affects a result.
      // eslint-disable-next-line determinism/no-unordered-iteration -- eviction order cannot change any verdict
      const oldest = this.seen.keys().next().value as string;
      this.seen.delete(oldest);
    }
    this.seen.set(k, true);
  }

  /** Wraps a verifier: hits skip the curve arithmetic, successes are remembered. */
  wrap(verify: VerifySignature): VerifySignature {
    return (pub, digest, sig) => {
      // One key string per check: built once for the lookup and the insert.
      const k = key(pub, digest, sig);
      if (this.seen.has(k)) return true;
      const ok = verify(pub, digest, sig);
      if (ok) this.addKey(k);
      return ok;
    };
  }
}

/** Room for the usual triple (64 + 32 + 33 bytes); longer inputs get their own buffer. */
const scratch = Buffer.alloc(160);

/** One latin1 string of sig ‖ digest ‖ pub, built in a reused buffer (no allocation but the string). */
function key(pub: Uint8Array, digest: Uint8Array, sig: Uint8Array): string {
  const n = sig.length + digest.length + pub.length;
  if (n > scratch.length) return Buffer.concat([sig, digest, pub]).toString('latin1');
  scratch.set(sig, 0);
  scratch.set(digest, sig.length);
  scratch.set(pub, sig.length + digest.length);
  return scratch.toString('latin1', 0, n);
}
