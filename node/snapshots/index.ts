/**
 * State sync snapshots: on-disk store, background writer, streaming restore and the
 * manager that serves and restores them for CometBFT (docs/snapshots.md).
 */
export { SnapshotManager, type SnapshotManagerOptions, type ApplyChunkOutcome } from './manager';
export {
  SnapshotStore,
  ErrSnapshotCorrupt,
  ErrSnapshotNotFound,
  ErrInvalidSnapshotMetadata,
  decodeChunkHashes,
  encodeChunkHashes,
  parseSnapshotInfo,
  sha256,
  toAbciSnapshot,
  type SnapshotDraft,
  type SnapshotInfo,
} from './snapshotStore';
export { writeSnapshot, DEFAULT_CHUNK_SIZE, SnapshotCancelled, type SnapshotProgress, type SnapshotSource, type WriteSnapshotOptions } from './writer';
export { restoreSnapshot, type RestoreProgress, type RestoreResult, type SnapshotTarget } from './restore';
