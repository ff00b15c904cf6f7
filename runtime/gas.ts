/**
 * Deterministic gas: every tx pays for its bytes, its signature checks and each KV
 * access it makes, with the Cosmos SDK's default constants so gas estimates from cosmjs
 * (`gas_used × 1.4`) land in the same range as on a Cosmos chain.
 *
 * Gas is a `number`: limits are capped at Number.MAX_SAFE_INTEGER (2^53 − 1), far above
 * any block gas, so integer arithmetic on numbers stays exact.
 */
import type { KVPair, KVStore } from '../store/types';
import { ErrOutOfGas } from './errors';

/** KV costs (cosmos-sdk `store/types/gas.go` KVGasConfig). */
export const KVGas = {
  hasCost: 1000,
  deleteCost: 1000,
  readCostFlat: 1000,
  readCostPerByte: 3,
  writeCostFlat: 2000,
  writeCostPerByte: 30,
  iterNextCostFlat: 30,
} as const;

/**
 * Per-tx costs. `txSizeCostPerByte` and `sigVerifyCostSecp256k1` are the cosmos-sdk x/auth
 * defaults. The KV and size costs price storage, not the CPU time around it (decoding, the
 * ante stages, events, the result, a new account's first tree insertions), so `perTx`,
 * `perMsg` and `newAccount` add what the benchmark (`bench/gas.bench.ts`, bench/RESULTS.md
 * "Gas against block time") measured beyond them: with them no tx or message type measured
 * costs more block time per gas than `VERIFY_GAS_EQUIVALENT` allows. Changing them changes
 * every tx's gas_used (and the golden fixture).
 */
export const TxGas = {
  txSizeCostPerByte: 10,
  sigVerifyCostSecp256k1: 1000,
  /** Once per tx: decode, the ante stages, the signature in FinalizeBlock when not cached, the result. */
  perTx: 30_000,
  /** Once per message before any handler runs, unless its route declares its own `gas`. */
  perMsg: 5_000,
  /** Each account a tx creates (a send to a fresh address): new tree keys, and state kept forever. */
  newAccount: 20_000,
  /** A secp256k1 verification inside a message handler (a key or wallet proof), charged by its route's `gas`. */
  handlerSigVerify: 10_000,
} as const;

/**
 * The calibration target: one unit of gas may cost at most 1/10,000 of the time of one
 * secp256k1 verification on the same machine (4.8 ns at the reference machine's 21k
 * verifications/s, bench/RESULTS.md). Stating it against a verification keeps it a ratio that
 * a loaded or faster machine measures the same way.
 */
export const VERIFY_GAS_EQUIVALENT = 10_000;

/**
 * consensus_params.block.max_gas that `init` and `testnet` write. Measured, not only calibrated
 * (bench/RESULTS.md, "Gas against block time"): on an idle reference machine a block of
 * maximal txs at this limit (11 of the largest, 480 sends creating accounts each) runs
 * prepare + process + finalize + commit in 0.48 s, half the default 1 s block time (a block of
 * single sends filling it, about 0.6 s). CometBFT reaps the mempool by each tx's gas_wanted, so a
 * block holds 3,000 sends asking a wallet's 100k gas (`--gas auto`), 1,500 asking the CLI's
 * fixed 200k: at 100M it held a third of that, which capped a single node near 1,000 sends a
 * second whatever its CPU could do (G9).
 */
export const DEFAULT_BLOCK_MAX_GAS = 300_000_000n;

/**
 * Gas that MIN_TX_FEE pays for. A tx asking for more pays in proportion: its required fee
 * is max(MIN_TX_FEE, ceil(MIN_TX_FEE × gas_limit / GAS_PER_MIN_FEE)), so a single-message
 * tx pays MIN_TX_FEE as before while a 480-message tx pays for the block time it takes,
 * and the price follows MIN_TX_FEE when governance changes it.
 */
export const GAS_PER_MIN_FEE = 2_000_000n;

/** The smallest fee a tx asking for `gasLimit` gas pays (see `GAS_PER_MIN_FEE`). */
export function requiredFee(minTxFee: bigint, gasLimit: bigint): bigint {
  const proportional = (minTxFee * gasLimit + GAS_PER_MIN_FEE - 1n) / GAS_PER_MIN_FEE;
  return proportional > minTxFee ? proportional : minTxFee;
}

export const MAX_GAS = Number.MAX_SAFE_INTEGER;

/** Counts gas against a limit; consuming past the limit throws `ErrOutOfGas`. */
export interface GasMeter {
  readonly limit: number;
  consumed(): number;
  /** Adds `amount`; throws ErrOutOfGas (and keeps the total) once it exceeds the limit. */
  consume(amount: number, descriptor: string): void;
}

export class BasicGasMeter implements GasMeter {
  private used = 0;
  constructor(readonly limit: number) {}

  consumed(): number {
    return this.used;
  }

  consume(amount: number, descriptor: string): void {
    this.used = Math.min(this.used + amount, MAX_GAS);
    if (this.used > this.limit) {
      throw ErrOutOfGas.wrap(`out of gas in location: ${descriptor}; gasWanted: ${this.limit}, gasUsed: ${this.used}`);
    }
  }
}

/** A meter that counts without a limit (simulation, block hooks, genesis). */
export class InfiniteGasMeter extends BasicGasMeter {
  constructor() {
    super(MAX_GAS);
  }
}

/** Wraps a store so each access charges `meter` before touching the parent. */
export class GasKVStore implements KVStore {
  constructor(
    private readonly parent: KVStore,
    private readonly meter: GasMeter,
  ) {}

  get(key: Uint8Array): Uint8Array | undefined {
    this.meter.consume(KVGas.readCostFlat, 'ReadFlat');
    const v = this.parent.get(key);
    this.meter.consume(KVGas.readCostPerByte * (key.length + (v ? v.length : 0)), 'ReadPerByte');
    return v;
  }

  has(key: Uint8Array): boolean {
    this.meter.consume(KVGas.hasCost, 'Has');
    return this.parent.has(key);
  }

  set(key: Uint8Array, value: Uint8Array): void {
    this.meter.consume(KVGas.writeCostFlat, 'WriteFlat');
    this.meter.consume(KVGas.writeCostPerByte * (key.length + value.length), 'WritePerByte');
    this.parent.set(key, value);
  }

  delete(key: Uint8Array): void {
    this.meter.consume(KVGas.deleteCost, 'Delete');
    this.parent.delete(key);
  }

  iterator(start?: Uint8Array, end?: Uint8Array): IterableIterator<KVPair> {
    return this.metered(this.parent.iterator(start, end));
  }

  reverseIterator(start?: Uint8Array, end?: Uint8Array): IterableIterator<KVPair> {
    return this.metered(this.parent.reverseIterator(start, end));
  }

  private *metered(it: IterableIterator<KVPair>): IterableIterator<KVPair> {
    for (const pair of it) {
      this.meter.consume(KVGas.iterNextCostFlat, 'IterNextFlat');
      this.meter.consume(KVGas.readCostPerByte * (pair[0].length + pair[1].length), 'ValuePerByte');
      yield pair;
    }
  }
}
