/**
 * Benchmark harness: timing helpers, CPU-steal sampling and the table printer.
 *
 * Contract for `bench/<name>.bench.ts` files, run by `bench/run.ts` after the limits:
 *
 *   export async function run(limits: Limits): Promise<BenchSection | BenchSection[] | void>
 *
 * A returned section is printed as a `figure | measured | limit | ratio | goal` table; a file
 * that returns nothing prints its own output. A default export or a `run()` that ignores its
 * argument works too. Figures are measured, never asserted: goals are ratios to limits
 * measured in the same process, because absolute numbers drift up to 1.8x between runs on the
 * same VM while same-run ratios hold within about 10%.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';

/** Physical limits of this machine, measured at the start of every run (see bench/limits.ts). */
export interface Limits {
  /** secp256k1 verifications per second on one core, active backend (native libsecp256k1 normally). */
  L_verify: number;
  /** The same with the pure-JS noble backend. */
  L_verify_noble: number;
  /** Name of the backend L_verify measured. */
  verifyBackend: string;
  /** Txs per second through decode (TxRaw, TxBody, MsgSend Any, AuthInfo, PubKey) + SignDoc encode + 2 sha256. */
  L_decode: number;
  /** 1 / (1/L_verify + 1/L_decode): the CheckTx floor on one core. */
  L_tx: number;
  /** µs per 132-byte entry in a 10k-op classic-level batch put, sequential keys. */
  t_put: number;
  /** µs per sha256 of 80 bytes (one Merkle inner node). */
  t_hash: number;
  /** µs per getSync random hit. */
  t_get: number;
  /** ms per classic-level open() of the limits DB. */
  t_open: number;
  /** µs per worker round trip carrying a transferred 48 KB buffer (p50). */
  t_rtt: number;
  /** availableParallelism() of this process. */
  cores: number;
}

export interface Figure {
  /** What was measured, e.g. "verified sig/s, 2 workers". */
  name: string;
  measured: number;
  unit: string;
  /** The limit-derived value the measurement is compared with, in the same unit. */
  limit?: number;
  /** The goal as text, e.g. ">= 0.85" (ratio = measured / limit) or "<= 1.5". */
  goal?: string;
  /** Goal symbol in performance.md, e.g. "G2". */
  id?: string;
}

export interface BenchSection {
  title: string;
  figures: Figure[];
  notes?: string[];
}

export type BenchRun = (limits: Limits) => Promise<BenchSection | BenchSection[] | void>;

// ---- statistics ----

export function median(xs: number[]): number {
  return percentile(xs, 50);
}

/** Nearest-rank percentile (p in [0, 100]) of a sample. */
export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

// ---- timing ----

export interface RateOptions {
  /** Untimed warm-up (JIT, caches); default 200 ms. */
  warmupMs?: number;
  /** Timed runs; the median is reported. Default 5. */
  runs?: number;
  /** Minimum duration of each timed run; default 300 ms. */
  minRunMs?: number;
  /** Calls between clock reads, so reading the clock is noise; default 64. */
  chunk?: number;
}

export interface Rate {
  /** Median operations per second over the runs. */
  opsPerSec: number;
  /** Median µs per operation. */
  usPerOp: number;
  /** Per-run operations per second. */
  runs: number[];
}

/** Calls `fn(i)` with i = 0, 1, 2, ... and reports the median rate over several timed runs. */
export function measureRate(fn: (i: number) => void, opts: RateOptions = {}): Rate {
  const { warmupMs = 200, runs = 5, minRunMs = 300, chunk = 64 } = opts;
  let i = 0;
  const spin = (ms: number): number => {
    const start = performance.now();
    let n = 0;
    let elapsed = 0;
    do {
      for (let k = 0; k < chunk; k++) fn(i++);
      n += chunk;
      elapsed = performance.now() - start;
    } while (elapsed < ms);
    return (n * 1000) / elapsed;
  };
  spin(warmupMs);
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) rates.push(spin(minRunMs));
  const opsPerSec = median(rates);
  return { opsPerSec, usPerOp: 1e6 / opsPerSec, runs: rates };
}

/** Runs `fn` `runs` times after `warmup` untimed calls and returns each duration in ms. */
export async function timeRuns(fn: () => Promise<void> | void, runs: number, warmup = 1): Promise<number[]> {
  for (let w = 0; w < warmup; w++) await fn();
  const out: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    await fn();
    out.push(performance.now() - start);
  }
  return out;
}

/** Asks V8 to collect garbage when run with --expose-gc, so one benchmark's garbage does not bill the next. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc !== undefined) gc();
}

// ---- CPU steal and competing load ----

export interface CpuSample {
  steal: number;
  /** Jiffies not idle and not waiting for I/O. */
  busy: number;
  total: number;
}

/** Aggregate CPU jiffies from /proc/stat; undefined where it does not exist (non-Linux). */
export function readCpuSample(): CpuSample | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n').find((l) => l.startsWith('cpu '));
    if (line === undefined) return undefined;
    // user nice system idle iowait irq softirq steal [guest guest_nice]; guest time is already in user.
    const f = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = f.reduce((a, b) => a + b, 0);
    return { steal: f[7] ?? 0, busy: total - (f[3] ?? 0) - (f[4] ?? 0) - (f[7] ?? 0), total };
  } catch {
    return undefined;
  }
}

/** Percentage of CPU time stolen by the hypervisor between two samples. */
export function stealPercent(before: CpuSample | undefined, after: CpuSample | undefined): number | undefined {
  if (before === undefined || after === undefined) return undefined;
  const total = after.total - before.total;
  return total > 0 ? (100 * (after.steal - before.steal)) / total : 0;
}

/** Runs above this steal are unreliable; performance.md asks to discard them. */
export const STEAL_WARN_PERCENT = 2;
/** Other processes using more than this share of all cores make the figures unreliable too. */
export const FOREIGN_WARN_PERCENT = 10;

export interface LoadSample {
  cpu: CpuSample | undefined;
  own: NodeJS.CpuUsage;
  wallMs: number;
}

/** USER_HZ: the unit of /proc/<pid>/stat's CPU times, 100 on every Linux this runs on. */
const CLOCK_TICKS_PER_S = 100;

/**
 * CPU times of a process from /proc/<pid>/stat, in microseconds: its own (utime, stime) and
 * that of its children that ended and were waited for (cutime, cstime); undefined where it
 * cannot be read (non-Linux, or the process is gone).
 */
export function procCpu(pid: number | 'self'): { own: NodeJS.CpuUsage; children: NodeJS.CpuUsage } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields from the state on (field 3 of proc(5)), past the command name in parentheses.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    const us = (ticks: number) => (ticks * 1e6) / CLOCK_TICKS_PER_S;
    return { own: { user: us(f[11]), system: us(f[12]) }, children: { user: us(f[13]), system: us(f[14]) } };
  } catch {
    return undefined;
  }
}

export function sampleLoad(): LoadSample {
  const own = process.cpuUsage();
  // A bench that runs nodes as child processes stops them before it returns: their CPU is the
  // bench's own load, not a competitor's.
  const children = procCpu('self')?.children ?? { user: 0, system: 0 };
  return { cpu: readCpuSample(), own: { user: own.user + children.user, system: own.system + children.system }, wallMs: performance.now() };
}

export interface LoadReport {
  /** % of machine CPU time stolen by the hypervisor. */
  steal?: number;
  /** % of machine CPU capacity used by other processes (busy time minus this process's and its ended children's). */
  foreign?: number;
}

/** Steal and competing load between two samples. */
export function loadBetween(before: LoadSample, after: LoadSample): LoadReport {
  const steal = stealPercent(before.cpu, after.cpu);
  if (before.cpu === undefined || after.cpu === undefined) return { steal };
  const dTotal = after.cpu.total - before.cpu.total;
  if (dTotal <= 0) return { steal };
  const busyShare = (after.cpu.busy - before.cpu.busy) / dTotal;
  const ownMicros = after.own.user - before.own.user + (after.own.system - before.own.system);
  const capacityMicros = (after.wallMs - before.wallMs) * 1000 * availableParallelism();
  const ownShare = capacityMicros > 0 ? ownMicros / capacityMicros : 0;
  return { steal, foreign: Math.max(0, 100 * (busyShare - ownShare)) };
}

/** One line for a section's notes, with a warning when the figures should be discarded. */
export function describeLoad(r: LoadReport): string {
  if (r.steal === undefined) return 'CPU steal: not available';
  const warnings: string[] = [];
  if (r.steal > STEAL_WARN_PERCENT) warnings.push(`steal above ${STEAL_WARN_PERCENT}%`);
  if (r.foreign !== undefined && r.foreign > FOREIGN_WARN_PERCENT) warnings.push(`other processes used more than ${FOREIGN_WARN_PERCENT}% of the CPUs`);
  const foreign = r.foreign === undefined ? '' : `, other processes ${r.foreign.toFixed(0)}% of all cores`;
  return `CPU steal ${r.steal.toFixed(2)}%${foreign}${warnings.length > 0 ? ` - WARNING: ${warnings.join(', ')}; discard these figures` : ''}`;
}

// ---- printing ----

export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 100) return Math.round(x).toLocaleString('en-US');
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}

/** Checks measured/limit against a goal text such as ">= 0.85" or "<= 2". */
export function goalMet(ratio: number, goal: string): boolean | undefined {
  const m = /^\s*(>=|<=)\s*([0-9.]+)/.exec(goal);
  if (m === null) return undefined;
  const bound = Number(m[2]);
  return m[1] === '>=' ? ratio >= bound : ratio <= bound;
}

/** A markdown table of the section's figures (readable on a terminal and pasteable into RESULTS.md). */
export function formatSection(section: BenchSection): string {
  const rows = [
    ['figure', 'measured', 'limit', 'ratio', 'goal'],
    ...section.figures.map((f) => {
      const ratio = f.limit !== undefined && f.limit !== 0 ? f.measured / f.limit : undefined;
      const met = ratio !== undefined && f.goal !== undefined ? goalMet(ratio, f.goal) : undefined;
      const goal = f.goal === undefined ? '' : `${f.id !== undefined ? f.id + ' ' : ''}${f.goal}${met === undefined ? '' : met ? ' ok' : ' MISSED'}`;
      return [
        f.name,
        `${formatNumber(f.measured)} ${f.unit}`,
        f.limit === undefined ? '' : `${formatNumber(f.limit)} ${f.unit}`,
        ratio === undefined ? '' : ratio.toFixed(3),
        goal,
      ];
    }),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => '| ' + r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ') + ' |';
  const sep = '|' + widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|';
  const out = [`### ${section.title}`, '', line(rows[0]!), sep, ...rows.slice(1).map(line)];
  if (section.notes !== undefined && section.notes.length > 0) out.push('', ...section.notes.map((n) => `- ${n}`));
  return out.join('\n');
}
