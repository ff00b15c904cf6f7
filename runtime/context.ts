/**
 * The context a module's handlers, hooks and queries run in: the block being executed,
 * the state branch they may read and write, the event manager and the gas meter.
 *
 * Heights are `number` (safe integers: 2^53 blocks outlast any chain), matching store
 * versions; they become bigint only at the ABCI boundary. Block time is the header's
 * protobuf Timestamp `{seconds: bigint, nanos: number}` and never a Date: it is consensus
 * data, identical on every node, while the wall clock is not.
 */
import type { CommitInfo, Misbehavior } from 'cosmjs-types/tendermint/abci/types';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import type { ConsensusParams } from 'cosmjs-types/tendermint/types/params';
import type { KVReader, KVStore } from '../store/types';
import { EventManager } from './events';
import { GasKVStore, InfiniteGasMeter, type GasMeter } from './gas';

export type { Timestamp };

/**
 * Why the code is running:
 * - `check` / `recheck`: mempool admission (CheckTx NEW / RECHECK), on the check state;
 * - `simulate`: gas estimation, on a throw-away branch of the check state;
 * - `deliver`: InitChain and FinalizeBlock, on the state that will be committed;
 * - `prepare` / `process`: proposal hooks, read-only on a throw-away branch.
 */
export type ExecMode = 'check' | 'recheck' | 'simulate' | 'deliver' | 'prepare' | 'process';

/** The block header fields the state machine may depend on. */
export interface BlockInfo {
  chainId: string;
  /** Height of the block being executed (InitChain: the initial height). */
  height: number;
  /** Block time from the header (InitChain: genesis time). */
  time: Timestamp;
  /** Consensus address of the proposer (20 bytes; empty at InitChain). */
  proposer: Uint8Array;
}

/** Stores by name, as one execution scope sees them. */
export interface StoreSource {
  getStore(name: string): KVStore;
}

export interface ContextOptions {
  mode: ExecMode;
  block: BlockInfo;
  stores: StoreSource;
  decidedLastCommit?: CommitInfo;
  misbehavior?: readonly Misbehavior[];
  consensusParams?: ConsensusParams;
  gasMeter?: GasMeter;
  events?: EventManager;
  txBytes?: Uint8Array;
  txIndex?: number;
  localTime?: Timestamp;
}

/** An execution context. Derive a narrower one with the `with*` methods; never mutate. */
export class Context {
  readonly mode: ExecMode;
  readonly block: BlockInfo;
  /** Votes for the previous block (FinalizeBlock's decided_last_commit). */
  readonly decidedLastCommit: CommitInfo;
  /** Evidence of misbehaviour decided in this block. */
  readonly misbehavior: readonly Misbehavior[];
  readonly consensusParams?: ConsensusParams;
  readonly gasMeter: GasMeter;
  readonly events: EventManager;
  /** The raw bytes of the tx being executed, when there is one. */
  readonly txBytes?: Uint8Array;
  /**
   * Position of the tx in its block (FinalizeBlock only; undefined in CheckTx, simulation,
   * genesis and block hooks), for rules such as "a notarization is the block's first tx".
   */
  readonly txIndex?: number;
  /**
   * The node's clock when CheckTx judges a tx (mempool rules only; undefined in blocks,
   * proposals, simulation and queries). It differs between nodes, so nothing that decides
   * a block may read it.
   */
  readonly localTime?: Timestamp;
  private readonly stores: StoreSource;

  constructor(opts: ContextOptions) {
    this.mode = opts.mode;
    this.block = opts.block;
    this.stores = opts.stores;
    this.decidedLastCommit = opts.decidedLastCommit ?? { round: 0, votes: [] };
    this.misbehavior = opts.misbehavior ?? [];
    this.consensusParams = opts.consensusParams;
    this.gasMeter = opts.gasMeter ?? new InfiniteGasMeter();
    this.events = opts.events ?? new EventManager();
    this.txBytes = opts.txBytes;
    this.txIndex = opts.txIndex;
    this.localTime = opts.localTime;
  }

  get chainId(): string {
    return this.block.chainId;
  }

  get height(): number {
    return this.block.height;
  }

  get time(): Timestamp {
    return this.block.time;
  }

  /** True in CheckTx (NEW or RECHECK). */
  get isCheckTx(): boolean {
    return this.mode === 'check' || this.mode === 'recheck';
  }

  get isReCheckTx(): boolean {
    return this.mode === 'recheck';
  }

  get isSimulate(): boolean {
    return this.mode === 'simulate';
  }

  /** True when the effects will be committed (InitChain, FinalizeBlock). */
  get isDeliver(): boolean {
    return this.mode === 'deliver';
  }

  /**
   * The store mounted under `key`, on the current branch, charging this context's gas
   * meter on every access. Asking for a store that is not mounted is a wiring bug.
   */
  store(key: string): KVStore {
    return new GasKVStore(this.stores.getStore(key), this.gasMeter);
  }

  /** Same context on other stores (a branch), other meter and events unchanged. */
  withStores(stores: StoreSource): Context {
    return this.derive({ stores });
  }

  withGasMeter(gasMeter: GasMeter): Context {
    return this.derive({ gasMeter });
  }

  withEvents(events: EventManager): Context {
    return this.derive({ events });
  }

  withMode(mode: ExecMode): Context {
    return this.derive({ mode });
  }

  /** Same context judged at another block time (the mempool rules use the last block's). */
  withBlockTime(time: Timestamp): Context {
    return this.derive({ block: { ...this.block, time } });
  }

  withTxBytes(txBytes: Uint8Array): Context {
    return this.derive({ txBytes });
  }

  private derive(over: Partial<ContextOptions>): Context {
    return new Context({
      mode: this.mode,
      block: this.block,
      stores: this.stores,
      decidedLastCommit: this.decidedLastCommit,
      misbehavior: this.misbehavior,
      consensusParams: this.consensusParams,
      gasMeter: this.gasMeter,
      events: this.events,
      txBytes: this.txBytes,
      txIndex: this.txIndex,
      localTime: this.localTime,
      ...over,
    });
  }
}

/**
 * The context of a query: a read-only view of each store at the version being served.
 * Queries never charge gas and never emit events.
 */
export interface QueryContext {
  /** The committed version the query reads (ResponseQuery.height). */
  readonly height: number;
  readonly chainId: string;
  store(key: string): KVReader;
}
