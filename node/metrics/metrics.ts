/**
 * Node metrics through prom-client (the Prometheus client for Node.js), on a registry of
 * their own: the client's default process and Node.js metrics, CometBFT's consensus and
 * mempool series under CometBFT's names and types (so Cosmos dashboards read them), and the
 * app's own under `sekai_`. Every series carries a `chain_id` label.
 *
 * No label value comes from a client unchecked: a query path is a label only when the node
 * knows it (`knownQueryPath`) and while fewer than MAX_PATH_LABELS paths are labelled; any
 * other path counts under `other`. A scrape therefore stays the same size however many
 * made-up paths clients send (before, 40 unique ~1 MB paths made the scrape text exceed
 * V8's string limit and the node exit).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Latency buckets in seconds: 1 ms to 10 s, roughly ×2.5 apart (CometBFT-like spread). */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Block interval buckets in seconds: sub-second dev blocks to the 10 s upper bound and beyond. */
export const INTERVAL_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 3, 5, 7, 10, 15, 30, 60];
/** Distinct query paths labelled at most; the app serves ~150 routes, so 256 leaves room. */
export const MAX_PATH_LABELS = 256;
/** Longest path used as a label (the longest route the app serves is ~70 characters). */
const MAX_PATH_LENGTH = 128;
/** The label for a path that is unknown, too long, or over the cap. */
export const OTHER_PATH = 'other';
/** Result codes labelled at most (codes are the app's registered ones: a few dozen). */
const MAX_CODE_LABELS = 128;

export interface BlockRecord {
  height: number;
  /** Number of txs in the block. */
  txs: number;
  /** Time since the previous block, in ms (block time difference); negative when unknown. */
  intervalMs: number;
  /** FinalizeBlock + Commit + store write, in ms. */
  commitMs: number;
  /** The result code of each tx, in block order. */
  codes: number[];
  /** Serialized block size in bytes. */
  sizeBytes?: number;
  /** Validators of the block, their total power, and those whose signature is absent from its last commit. */
  validators?: number;
  validatorsPower?: bigint | number;
  missingValidators?: number;
  missingValidatorsPower?: bigint | number;
  /** Misbehaviour records in the block's evidence. */
  byzantineValidators?: number;
}

export interface MetricsOptions {
  /** The `chain_id` label on every series. */
  chainId?: string;
  /** Whether a query path names something the node serves (else it is labelled `other`). */
  knownQueryPath?: (path: string) => boolean;
  /** Collect prom-client's default process and Node.js metrics (default true). */
  defaultMetrics?: boolean;
}

/**
 * The node's metrics. The engine side calls `recordBlock` after each committed block and
 * `setMempoolSize` / `recordMempoolFailure` as the pool changes; the RPC and gRPC-web servers
 * call `recordQuery`.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly knownPath: (path: string) => boolean;
  private readonly pathLabels = new Set<string>();
  private readonly codeLabels = new Set<string>();

  private readonly height: Gauge;
  private readonly validators: Gauge;
  private readonly validatorsPower: Gauge;
  private readonly missingValidators: Gauge;
  private readonly missingValidatorsPower: Gauge;
  private readonly byzantineValidators: Gauge;
  private readonly blockInterval: Histogram;
  private readonly numTxs: Gauge;
  private readonly totalTxs: Gauge;
  private readonly blockSize: Gauge;
  private readonly mempoolSize: Gauge;
  private readonly mempoolFailed: Counter;
  private readonly txResults: Counter;
  private readonly commitDuration: Histogram;
  private readonly queryDuration: Histogram;

  constructor(opts: MetricsOptions = {}) {
    this.knownPath = opts.knownQueryPath ?? (() => true);
    if (opts.chainId !== undefined) this.registry.setDefaultLabels({ chain_id: opts.chainId });
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    const gauge = (name: string, help: string) => new Gauge({ name, help, registers });
    this.height = gauge('cometbft_consensus_height', 'Height of the chain.');
    this.validators = gauge('cometbft_consensus_validators', 'Number of validators.');
    this.validatorsPower = gauge('cometbft_consensus_validators_power', 'Total voting power of all validators.');
    this.missingValidators = gauge('cometbft_consensus_missing_validators', 'Number of validators who did not sign.');
    this.missingValidatorsPower = gauge('cometbft_consensus_missing_validators_power', 'Total voting power of the missing validators.');
    this.byzantineValidators = gauge('cometbft_consensus_byzantine_validators', 'Number of validators who tried to double sign.');
    this.blockInterval = new Histogram({
      name: 'cometbft_consensus_block_interval_seconds',
      help: 'Time between this and the last block.',
      buckets: INTERVAL_BUCKETS,
      registers,
    });
    this.numTxs = gauge('cometbft_consensus_num_txs', 'Number of transactions.');
    // A gauge, as CometBFT declares it (it restarts from the stored chain, not from zero).
    this.totalTxs = gauge('cometbft_consensus_total_txs', 'Total number of transactions.');
    this.blockSize = gauge('cometbft_consensus_block_size_bytes', 'Size of the block.');
    this.mempoolSize = gauge('cometbft_mempool_size', 'Number of uncommitted transactions in the mempool.');
    this.mempoolFailed = new Counter({ name: 'cometbft_mempool_failed_txs', help: 'Number of failed transactions.', registers });
    this.txResults = new Counter({
      name: 'sekai_tx_results_total',
      help: 'Committed transactions by result code.',
      labelNames: ['code'],
      registers,
    });
    this.commitDuration = new Histogram({
      name: 'sekai_block_commit_duration_seconds',
      help: 'Time to execute, commit and store a block.',
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.queryDuration = new Histogram({
      name: 'sekai_query_duration_seconds',
      help: 'ABCI query latency by path (paths the node does not serve count as "other").',
      labelNames: ['path'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
  }

  recordBlock(b: BlockRecord): void {
    this.height.set(b.height);
    if (b.intervalMs >= 0) this.blockInterval.observe(b.intervalMs / 1000);
    this.numTxs.set(b.txs);
    this.totalTxs.inc(b.txs);
    if (b.sizeBytes !== undefined) this.blockSize.set(b.sizeBytes);
    if (b.validators !== undefined) this.validators.set(b.validators);
    if (b.validatorsPower !== undefined) this.validatorsPower.set(Number(b.validatorsPower));
    if (b.missingValidators !== undefined) this.missingValidators.set(b.missingValidators);
    if (b.missingValidatorsPower !== undefined) this.missingValidatorsPower.set(Number(b.missingValidatorsPower));
    if (b.byzantineValidators !== undefined) this.byzantineValidators.set(b.byzantineValidators);
    for (const code of b.codes) this.txResults.inc({ code: this.codeLabel(code) });
    this.commitDuration.observe(b.commitMs / 1000);
  }

  /** The validator set of the latest block and its total voting power. */
  setValidators(count: number, power: bigint | number): void {
    this.validators.set(count);
    this.validatorsPower.set(Number(power));
  }

  /** Sets the total once at start from the stored chain, so the gauge does not restart at zero. */
  setTotalTxs(n: number): void {
    this.totalTxs.set(n);
  }

  recordQuery(path: string, ms: number): void {
    this.queryDuration.observe({ path: this.pathLabel(path) }, ms / 1000);
  }

  setMempoolSize(n: number): void {
    this.mempoolSize.set(n);
  }

  recordMempoolFailure(): void {
    this.mempoolFailed.inc();
  }

  /** The exposition text served on /metrics. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The label for a query path: itself when known and within the caps, else `other`. */
  pathLabel(path: string): string {
    if (this.pathLabels.has(path)) return path;
    if (path.length > MAX_PATH_LENGTH || this.pathLabels.size >= MAX_PATH_LABELS) return OTHER_PATH;
    let known: boolean;
    try {
      known = this.knownPath(path);
    } catch {
      known = false;
    }
    if (!known) return OTHER_PATH;
    this.pathLabels.add(path);
    return path;
  }

  private codeLabel(code: number): string {
    const label = String(code);
    if (this.codeLabels.has(label)) return label;
    if (this.codeLabels.size >= MAX_CODE_LABELS) return OTHER_PATH;
    this.codeLabels.add(label);
    return label;
  }
}
