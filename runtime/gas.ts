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

/** Per-tx costs (cosmos-sdk x/auth default params): tx size per byte, one secp256k1 verify. */
export const TxGas = {
  txSizeCostPerByte: 10,
  sigVerifyCostSecp256k1: 1000,
} as const;

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
