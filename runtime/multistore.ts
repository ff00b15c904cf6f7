/**
 * What the runtime needs from the state store (implemented by `store/rootmulti.ts`).
 *
 * The runtime never touches LevelDB or the trees directly: it branches the multistore
 * for each execution scope, folds successful branches back, asks for the working hash
 * after a block, and commits once per block.
 */
import type { CacheKVStore, CommitId, KVReader } from '../store/types';
import type { ProofOps } from 'cosmjs-types/tendermint/crypto/proof';

/** A write-back branch over every mounted store. */
export interface MultiStoreBranch {
  getStore(name: string): CacheKVStore;
  /** Folds every buffered write into the parent and empties the branch. */
  write(): void;
  branch(): MultiStoreBranch;
}

/** The committed multistore, as the runtime drives it. */
export interface CommitMultiStore {
  lastCommitId(): CommitId;
  /** The version the next commit creates (the store's initial version before the first). */
  nextVersion(): number;
  /** A branch whose reads fall through to the latest (working) state. */
  cacheMultiStore(): MultiStoreBranch;
  /** Root hash over the working state of every store, without persisting it. */
  workingHash(): Uint8Array;
  /** Persists the working state as the next version in one atomic write. */
  commit(): Promise<CommitId>;
  /**
   * Resolves once every committed version is fully written to the database (a store in
   * write-ahead-log mode writes after Commit returns); rejects if writing one failed.
   */
  flush(): Promise<void>;
  queryWithProof(
    storeName: string,
    key: Uint8Array,
    version: number,
  ): { value?: Uint8Array; proofOps: ProofOps; height: number };
  /** A read-only view of one store at a committed version. */
  readerAt(storeName: string, version: number): KVReader;
  versionExists(version: number): boolean;
  /** Committed versions whose state every store still holds, ascending. */
  availableVersions(): number[];
  close(): Promise<void>;
}
