/** What a BaseApp is built from, and the state-sync service it serves snapshots through. */
import type { MempoolFeeFloor } from './mempoolFees';
import type {
  RequestApplySnapshotChunk,
  RequestLoadSnapshotChunk,
  RequestOfferSnapshot,
  ResponseApplySnapshotChunk,
  ResponseListSnapshots,
  ResponseLoadSnapshotChunk,
  ResponseOfferSnapshot,
} from 'cosmjs-types/tendermint/abci/types';
import type { SignatureVerifier } from '../crypto/verifier';
import type { CommitId } from '../store/types';
import type { AnteParams, VerifySignature } from './ante';
import type { Timestamp } from './context';
import type { AccountKeeper, BankKeeper, FeeParamsKeeper } from './expectedKeepers';
import type { ModuleManager } from './manager';
import type { CommitMultiStore } from './multistore';
import type { VerifiedSignatures } from './sigcache';
import type { AminoEncoder } from './amino';

export interface BaseAppOptions {
  /** Application name reported by Info.data. */
  name: string;
  /** Version of this binary; compared with the chain version by the upgrade gate. */
  codeVersion: string;
  /** Protocol version reported by Info.app_version (block header app version). */
  appVersion?: bigint;
  store: CommitMultiStore;
  modules: ModuleManager;
  accounts: AccountKeeper;
  bank: BankKeeper;
  feeParams?: FeeParamsKeeper;
  verify?: VerifySignature;
  ante?: Partial<AnteParams>;
  /** Blocks to keep for CometBFT (Commit.retain_height); 0 keeps everything. */
  minRetainBlocks?: number;
  /** This node's mempool fee floor (app.toml minimum-fees / minimum-gas-prices); CheckTx only. */
  feeFloor?: MempoolFeeFloor;
  /** Amino JSON of messages, to verify SIGN_MODE_LEGACY_AMINO_JSON signatures. */
  amino?: AminoEncoder;
  /**
   * Batch verifier (e.g. a worker pool) used while ProcessProposal runs, so FinalizeBlock
   * finds the block's signatures already verified. Optional: without it every signature
   * not seen in CheckTx is verified on the main thread during FinalizeBlock.
   */
  verifier?: SignatureVerifier;
  /** Verified-signature cache shared by CheckTx, ProcessProposal and FinalizeBlock. */
  sigCache?: VerifiedSignatures;
  /**
   * Check every module invariant after each N-th block (0: never). A broken invariant
   * halts the node with `ErrInvariantBroken` before the block's AppHash is returned.
   */
  invariantCheckPeriod?: number;
  /**
   * consensus_params.block.max_gas of the chain (-1 or absent: no limit), as the node read it
   * from genesis; InitChain's consensus params replace it. CheckTx refuses a tx asking for
   * more gas, PrepareProposal leaves out txs past it and ProcessProposal refuses a block whose
   * txs ask for more in total.
   */
  blockMaxGas?: bigint;
  /**
   * app.toml `index-events`: the "{eventType}.{attributeKey}" pairs marked for the tx indexer
   * in CheckTx and FinalizeBlock answers; absent or empty, every attribute keeps its flag.
   */
  indexEvents?: readonly string[];
  /**
   * This node's wall clock (the node passes it; the state machine never reads it). CheckTx
   * gives it to the mempool rules as `ctx.localTime`, and ProcessProposal refuses a block
   * timed more than `MAX_BLOCK_TIME_DRIFT_MS` ahead of it. Without it neither rule runs.
   */
  clock?: () => Timestamp;
  /** State sync: snapshots taken after Commit, served to and restored from CometBFT. */
  snapshots?: SnapshotService;
}

/**
 * State sync as BaseApp drives it (node/snapshots/manager.ts implements it). The app adds
 * what only it knows: its header record in each snapshot, and what to reload after a restore.
 */
export interface SnapshotService {
  afterCommit(height: number, appHeader: () => Uint8Array): void;
  /** Blocks below the newest that the kept snapshots span (interval × keep-recent; 0 = none). */
  readonly retainedSpan: number;
  listSnapshots(): ResponseListSnapshots;
  loadSnapshotChunk(req: RequestLoadSnapshotChunk): Promise<ResponseLoadSnapshotChunk>;
  offerSnapshot(req: RequestOfferSnapshot, hasState: boolean): Promise<ResponseOfferSnapshot>;
  applySnapshotChunk(req: RequestApplySnapshotChunk): Promise<{ response: ResponseApplySnapshotChunk; restored?: { commit: CommitId; appHeader: Uint8Array } }>;
  close(): Promise<void>;
}

/**
 * The app's header record in a snapshot: what a restored node needs beside the stores to
 * resume. The chain version and any upgrade plan are in the runtime store, and CometBFT
 * brings the consensus params and validators from its light client, so this is the chain id
 * and the time of the snapshot's block (CheckTx judges txs against it until the next block).
 */
export interface SnapshotAppHeader {
  chain_id: string;
  app_name: string;
  code_version: string;
  height: number;
  block_time: { seconds: string; nanos: number };
}
