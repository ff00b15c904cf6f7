/**
 * V8 settings of the node process. `sekaid-ts start` applies them before it opens the state,
 * and the benchmarks apply the same ones, so what they measure is what a node runs.
 *
 * --no-concurrent-sweeping: the old generation is swept by the thread that allocates instead of
 * by V8's background threads. On a 2-core machine those threads competed with the thread that
 * executes and commits blocks, which then lost the CPU for 3-5 ms at a time: commit p99 / p50
 * over 1,000 commits read 3.0-4.9 with them and 2.1-2.7 without (bench/store.bench.ts, G7),
 * while FinalizeBlock of 1,000 transfers cost the same main-thread CPU (69-70 ms either way).
 */
import { setFlagsFromString } from 'node:v8';

export const NODE_V8_FLAGS: readonly string[] = ['--no-concurrent-sweeping'];

let applied = false;

/** Applies NODE_V8_FLAGS once. V8 reads these flags at each collection, so they take effect at once. */
export function applyNodeV8Flags(): void {
  if (applied) return;
  applied = true;
  for (const flag of NODE_V8_FLAGS) setFlagsFromString(flag);
}
