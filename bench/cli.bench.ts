/**
 * Cost of one `sekaid-ts` line run from the TypeScript source (what the CLI and end-to-end
 * tests spawn dozens of times): `keys list` on an empty test keyring through bin/tsCache.js
 * with a warm cache and with a cold one, against the previous way (@swc-node/register, which
 * loads SWC and transpiles every file on every run) measured in the same run, and the floor
 * of starting node at all.
 *
 * CPU is the children's user+sys time from /proc/self/stat (Linux; wall time elsewhere):
 * on a shared machine wall time mostly measures the neighbours.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { median, type BenchSection } from './harness';

const ROOT = resolve(__dirname, '..');
const RUNS = 5;

/** Children's CPU seconds so far (cutime + cstime of waited-for children), or undefined off Linux. */
function childCpu(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command name: field 3 is state, so cutime (16) and cstime (17) sit at 13 and 14.
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}

function measure(args: string[], env: Record<string, string>, before?: () => void): { wall: number; cpu?: number } {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    before?.();
    const c0 = childCpu();
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
    walls.push(performance.now() - t0);
    const c1 = childCpu();
    if (c0 !== undefined && c1 !== undefined) cpus.push((c1 - c0) * 1000);
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return { wall: median(walls), cpu: cpus.length === RUNS ? median(cpus) : undefined };
}

export async function run(): Promise<BenchSection> {
  const home = mkdtempSync(join(tmpdir(), 'cli-bench-home-'));
  const cache = mkdtempSync(join(tmpdir(), 'cli-bench-cache-'));
  const line = [join(ROOT, 'cmd/sekaid-ts/main.ts'), 'keys', 'list', '--home', home, '--keyring-backend', 'test'];
  const env = { SEKAID_TS_CACHE_DIR: cache, SEKAID_HOME: '' };
  try {
    const floor = measure(['-e', '0'], env);
    const register = measure(['-r', join(ROOT, 'node_modules/@swc-node/register'), ...line], env);
    const cold = measure(['-r', join(ROOT, 'bin/tsCache.js'), ...line], env, () => rmSync(cache, { recursive: true, force: true }));
    const warm = measure(['-r', join(ROOT, 'bin/tsCache.js'), ...line], env);
    const pick = (m: { wall: number; cpu?: number }) => m.cpu ?? m.wall;
    const unit = warm.cpu !== undefined ? 'ms CPU' : 'ms wall';
    return {
      title: `CLI line from source (sekaid-ts keys list, median of ${RUNS})`,
      figures: [
        { name: 'warm transpile cache (bin/sekaid-ts)', measured: pick(warm), unit, limit: pick(register), goal: '<= 0.75' },
        { name: 'cold transpile cache (first run after an edit of everything)', measured: pick(cold), unit, limit: pick(register), goal: '<= 1.1' },
        { name: 'node -e 0 (process floor)', measured: pick(floor), unit },
      ],
      notes: [
        `Limit: the same line through @swc-node/register in this run (${pick(register).toFixed(0)} ${unit}, wall ${register.wall.toFixed(0)} ms).`,
        `Wall medians: warm ${warm.wall.toFixed(0)} ms, cold ${cold.wall.toFixed(0)} ms, floor ${floor.wall.toFixed(0)} ms.`,
        'What remains on a warm run is loading ~600 modules (app modules, cosmjs-types, @cosmjs, @noble): the command tree is built whole for every line.',
      ],
    };
  } finally {
    rmSync(home, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  }
}
