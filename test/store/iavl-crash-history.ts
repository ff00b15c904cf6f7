/** The deterministic block history shared by the crash-safety test and its child process. */
import { prng } from '../../store/iavl/testutil';

/**
 * The writes of version v (value undefined = delete): 20-100, so a commit takes milliseconds and
 * each short-lived child commits several versions before it is killed.
 */
export function crashBlock(v: number): Array<[Uint8Array, Uint8Array | undefined]> {
  const rnd = prng(v * 7919);
  const out: Array<[Uint8Array, Uint8Array | undefined]> = [];
  const n = 20 + Math.floor(rnd() * 80);
  for (let i = 0; i < n; i++) {
    const key = Buffer.from(`k/${Math.floor(rnd() * 5000)}`);
    out.push([key, rnd() < 0.2 ? undefined : Buffer.from(`v${v}.${i}.`.repeat(4))]);
  }
  return out;
}
