/**
 * Node metrics in the Prometheus text exposition format (version 0.0.4), without a client
 * library: a few gauges, counters and histograms the engine and the servers record into.
 * Names follow CometBFT's where one exists (`cometbft_consensus_height`, …) so existing
 * dashboards work; sekai-specific series use the `sekai_` prefix.
 */

/** Latency buckets in seconds: 1 ms to 10 s, roughly ×2.5 apart (CometBFT-like spread). */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Block interval buckets in seconds: sub-second dev blocks to the 10 s upper bound and beyond. */
export const INTERVAL_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 3, 5, 7, 10, 15, 30, 60];

type Labels = Record<string, string>;

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labelText(labels: Labels, extra?: [string, string]): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${escapeLabel(labels[k])}"`);
  if (extra) pairs.push(`${extra[0]}="${extra[1]}"`);
  return pairs.length > 0 ? `{${pairs.join(',')}}` : '';
}

function fmt(n: number): string {
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return Number.isNaN(n) ? 'NaN' : String(n);
}

interface Series<T> {
  labels: Labels;
  value: T;
}

abstract class Metric<T> {
  protected readonly series = new Map<string, Series<T>>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'gauge' | 'counter' | 'histogram',
  ) {}

  protected get(labels: Labels, init: () => T): Series<T> {
    const key = labelText(labels);
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { labels: { ...labels }, value: init() }));
    return s;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`];
    for (const key of [...this.series.keys()].sort()) lines.push(...this.lines(this.series.get(key)!));
    return lines.join('\n');
  }

  protected abstract lines(s: Series<T>): string[];
}

export class Gauge extends Metric<number> {
  constructor(name: string, help: string) {
    super(name, help, 'gauge');
  }
  set(value: number, labels: Labels = {}): void {
    this.get(labels, () => 0).value = value;
  }
  value(labels: Labels = {}): number {
    return this.series.get(labelText(labels))?.value ?? 0;
  }
  protected lines(s: Series<number>): string[] {
    return [`${this.name}${labelText(s.labels)} ${fmt(s.value)}`];
  }
}

export class Counter extends Metric<number> {
  constructor(name: string, help: string) {
    super(name, help, 'counter');
  }
  inc(by = 1, labels: Labels = {}): void {
    if (by < 0) throw new Error(`counter ${this.name} cannot decrease`);
    this.get(labels, () => 0).value += by;
  }
  value(labels: Labels = {}): number {
    return this.series.get(labelText(labels))?.value ?? 0;
  }
  protected lines(s: Series<number>): string[] {
    return [`${this.name}${labelText(s.labels)} ${fmt(s.value)}`];
  }
}

interface HistogramValue {
  counts: number[];
  sum: number;
  count: number;
}

export class Histogram extends Metric<HistogramValue> {
  constructor(
    name: string,
    help: string,
    readonly buckets: number[],
  ) {
    super(name, help, 'histogram');
  }
  observe(value: number, labels: Labels = {}): void {
    const s = this.get(labels, () => ({ counts: this.buckets.map(() => 0), sum: 0, count: 0 }));
    this.buckets.forEach((b, i) => {
      if (value <= b) s.value.counts[i]++;
    });
    s.value.sum += value;
    s.value.count++;
  }
  protected lines(s: Series<HistogramValue>): string[] {
    const out = this.buckets.map((b, i) => `${this.name}_bucket${labelText(s.labels, ['le', fmt(b)])} ${s.value.counts[i]}`);
    out.push(`${this.name}_bucket${labelText(s.labels, ['le', '+Inf'])} ${s.value.count}`);
    out.push(`${this.name}_sum${labelText(s.labels)} ${fmt(s.value.sum)}`);
    out.push(`${this.name}_count${labelText(s.labels)} ${s.value.count}`);
    return out;
  }
}

export interface BlockRecord {
  height: number;
  /** Number of txs in the block. */
  txs: number;
  /** Time since the previous block, in ms (block time difference). */
  intervalMs: number;
  /** FinalizeBlock + Commit + store write, in ms. */
  commitMs: number;
  /** The result code of each tx, in block order. */
  codes: number[];
}

/**
 * The node's metrics. The engine calls `recordBlock` after each committed block and
 * `setMempoolSize` when the pool changes; the RPC and gRPC-web servers call `recordQuery`.
 */
export class Metrics {
  readonly height = new Gauge('cometbft_consensus_height', 'Height of the latest committed block.');
  readonly blockInterval = new Histogram(
    'cometbft_consensus_block_interval_seconds',
    'Time between this and the last block.',
    INTERVAL_BUCKETS,
  );
  readonly numTxs = new Gauge('cometbft_consensus_num_txs', 'Number of transactions in the latest block.');
  readonly totalTxs = new Counter('cometbft_consensus_total_txs', 'Total number of transactions committed.');
  readonly txResults = new Counter('sekai_tx_results_total', 'Committed transactions by result code.');
  readonly mempoolSize = new Gauge('cometbft_mempool_size', 'Number of uncommitted transactions in the mempool.');
  readonly commitDuration = new Histogram(
    'sekai_block_commit_duration_seconds',
    'Time to execute, commit and store a block.',
    LATENCY_BUCKETS,
  );
  readonly queryDuration = new Histogram('sekai_query_duration_seconds', 'ABCI query latency by path.', LATENCY_BUCKETS);

  private readonly all = [
    this.height,
    this.blockInterval,
    this.numTxs,
    this.totalTxs,
    this.txResults,
    this.mempoolSize,
    this.commitDuration,
    this.queryDuration,
  ];

  recordBlock(b: BlockRecord): void {
    this.height.set(b.height);
    if (b.intervalMs >= 0) this.blockInterval.observe(b.intervalMs / 1000);
    this.numTxs.set(b.txs);
    this.totalTxs.inc(b.txs);
    for (const code of b.codes) this.txResults.inc(1, { code: String(code) });
    this.commitDuration.observe(b.commitMs / 1000);
  }

  recordQuery(path: string, ms: number): void {
    this.queryDuration.observe(ms / 1000, { path });
  }

  setMempoolSize(n: number): void {
    this.mempoolSize.set(n);
  }

  /** The exposition text served on /metrics. */
  render(): string {
    return this.all.map((m) => m.render()).join('\n') + '\n';
  }
}
