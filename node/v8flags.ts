/**
 * V8 settings of the node process. `sekaid-ts start` applies them before it opens the state,
 * and the benchmarks apply the same ones before they measure anything (limits included), so
 * what they report is what a node runs.
 *
 * --no-concurrent-array-buffer-sweeping: after each minor collection the dead ArrayBuffers
 * (Buffers, typed arrays' off-heap storage) are freed by the thread that collected instead of
 * by a background thread. On a 2-core machine that thread, LevelDB's compaction thread and the
 * thread that executes and commits blocks were three runnable threads on two cores, and the
 * block thread lost the CPU for 3-5 ms at a time: commit p99 / p50 over 1,000 commits read
 * 2.6-5.2 with the background sweeper and 2.4-2.6 without (bench/store.bench.ts, G7, write-ahead
 * log). CheckTx and FinalizeBlock ran 3-5% slower with it; code that allocates a Buffer per
 * field runs much faster (the decode limit of bench/limits.ts: +70-80%).
 */
import { setFlagsFromString } from 'node:v8';

export const NODE_V8_FLAGS: readonly string[] = ['--no-concurrent-array-buffer-sweeping'];

let applied = false;

/** Applies NODE_V8_FLAGS once. V8 reads these flags at each collection, so they take effect at once. */
export function applyNodeV8Flags(): void {
  if (applied) return;
  applied = true;
  for (const flag of NODE_V8_FLAGS) setFlagsFromString(flag);
}
