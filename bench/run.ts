/**
 * `npm run bench [names...]`: measures the machine's limits, then runs every
 * `bench/<name>.bench.ts` (or only the named ones) and prints each figure beside the limit
 * it is judged against. CPU steal and the CPU share of other processes are sampled around
 * every benchmark; figures taken with more than 2% steal or 10% competing load are flagged
 * for discarding.
 *
 * Options: `--json <file>` also writes all sections and limits as JSON.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';

import {
  collectGarbage,
  describeLoad,
  formatSection,
  loadBetween,
  sampleLoad,
  type BenchRun,
  type BenchSection,
  type Limits,
} from './harness';
import { measureLimits } from './limits';
import { NODE_V8_FLAGS, applyNodeV8Flags } from '../node/v8flags';

function machine(): string {
  const model = cpus()[0]?.model ?? 'unknown CPU';
  return `${availableParallelism()} cores, ${model}, node ${process.version}, ${process.platform}-${process.arch}`;
}

function findRun(mod: Record<string, unknown>): BenchRun | undefined {
  for (const candidate of [mod.run, mod.default, (mod.default as Record<string, unknown> | undefined)?.run, mod.main]) {
    if (typeof candidate === 'function') return candidate as BenchRun;
  }
  return undefined;
}

async function main(argv: string[]): Promise<void> {
  const args = [...argv];
  let jsonOut: string | undefined;
  const j = args.indexOf('--json');
  if (j >= 0) {
    jsonOut = args[j + 1];
    args.splice(j, 2);
  }
  const wanted = new Set(args.map((a) => a.replace(/\.bench\.ts$/, '')));

  // The V8 settings a node runs with (node/v8flags.ts), so the figures are a node's.
  applyNodeV8Flags();
  console.log(`# sekai-ts benchmarks\n\nmachine: ${machine()}\nV8 flags as sekaid-ts start sets them: ${NODE_V8_FLAGS.join(' ')}\n`);
  const sections: BenchSection[] = [];

  const before = sampleLoad();
  const { limits, section } = await measureLimits();
  section.notes = [...(section.notes ?? []), describeLoad(loadBetween(before, sampleLoad()))];
  sections.push(section);
  console.log(formatSection(section) + '\n');

  const dir = __dirname;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts') || f.endsWith('.bench.js'))
    .sort();
  for (const file of files) {
    const name = file.replace(/\.bench\.(ts|js)$/, '');
    if (wanted.size > 0 && !wanted.has(name)) continue;
    collectGarbage();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- benchmark files are discovered at run time
    const mod = require(join(dir, file)) as Record<string, unknown>;
    const run = findRun(mod);
    if (run === undefined) {
      console.log(`(${file}: no run() export, skipped)\n`);
      continue;
    }
    const t0 = sampleLoad();
    let result: BenchSection | BenchSection[] | void;
    try {
      result = await (run.length === 0 ? (run as () => ReturnType<BenchRun>)() : run(limits));
    } catch (err) {
      // One broken benchmark must not hide the others' figures.
      console.log(`${file} failed: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
      continue;
    }
    const steal = describeLoad(loadBetween(t0, sampleLoad()));
    const list = result === undefined ? [] : Array.isArray(result) ? result : [result];
    for (const s of list) {
      s.notes = [...(s.notes ?? []), steal];
      sections.push(s);
      console.log(formatSection(s) + '\n');
    }
    if (list.length === 0) console.log(`(${file}) ${steal}\n`);
  }

  if (jsonOut !== undefined) writeFileSync(jsonOut, JSON.stringify({ machine: machine(), limits, sections }, null, 2));
}

export type { Limits };

main(process.argv.slice(2)).catch((err) => {
  console.error(err);
  process.exit(1);
});
