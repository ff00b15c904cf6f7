/** The deterministic block history shared by the crash-safety test and its child process. */
import { prng } from '../../store/iavl/testutil';

/** The writes of version v (value undefined = delete); a few hundred so commits take a while. */
export function crashBlock(v: number): Array<[Uint8Array, Uint8Array | undefined]> {
  const rnd = prng(v * 7919);
  const out: Array<[Uint8Array, Uint8Array | undefined]> = [];
  const n = 100 + Math.floor(rnd() * 400);
  for (let i = 0; i < n; i++) {
    const key = Buffer.from(`k/${Math.floor(rnd() * 5000)}`);
    out.push([key, rnd() < 0.2 ? undefined : Buffer.from(`v${v}.${i}.`.repeat(4))]);
  }
  return out;
}
