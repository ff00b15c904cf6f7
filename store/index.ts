/**
 * The state store: contracts, the shared LevelDB handle, IAVL trees, write-back branches,
 * CometBFT's simple Merkle tree and the root multistore that commits them together.
 *
 * Layers import the store only through this file.
 */
export type {
  CacheKVStore,
  CommitId,
  KVPair,
  KVReader,
  KVStore,
  KeyRange,
  PruningOptions,
} from './types';
export { StateDb, WriteBatch, prefixed, type IterateRange } from './db';
export { prefixEnd } from './prefixEnd';
export * from './iavl';
export {
  ErrIteratorInvalidated,
  ErrStaleBranch,
  MemStore,
  assertValidKey,
  assertValidValue,
} from './memstore';
export { CacheKV, Lease } from './cachekv';
export {
  ErrInvalidMerkleInput,
  TENDERMINT_LEAF_OP,
  emptyHash,
  encodeCommitmentProof,
  hashFromByteSlices,
  hashFromMap,
  innerHash,
  kvLeaf,
  leafHash,
  mapExistenceProof,
  proofFromByteSlices,
  rootFromProof,
  toExistenceProof,
  uvarint,
  type MerkleKV,
  type SimpleProof,
} from './merkle';
export {
  CacheMultiStore,
  ErrCommitInProgress,
  ErrInconsistentState,
  ErrInvalidMultiStoreOptions,
  ErrRestore,
  ErrRestoreMismatch,
  ErrStoreClosed,
  ErrUnknownStore,
  ErrVersionNotAvailable,
  PROOF_OP_IAVL,
  PROOF_OP_SIMPLE,
  RootMultiStore,
  commitInfoHash,
  type ProvenQuery,
  type RootMultiStoreOptions,
  type StoreRoots,
  type StoreUpgrade,
} from './rootmulti';
export {
  ErrSnapshotFormat,
  SNAPSHOT_FORMAT,
  SnapshotDecoder,
  SnapshotEncoder,
  isMarker,
  type SnapshotItem,
  type SnapshotMarker,
} from './snapshots/format';
