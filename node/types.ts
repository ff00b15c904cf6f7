/**
 * Contracts between the parts of the node: the block store written by the embedded
 * engine (or mirrored from a CometBFT node later), the mempool, and the servers that read
 * them (CometBFT-compatible JSON-RPC, gRPC-web, metrics).
 *
 * Blocks are the CometBFT protobuf types from cosmjs-types, so hashes and JSON shapes can
 * be produced exactly as CometBFT produces them.
 */
import type { ExecTxResult, ResponseCheckTx, ResponseFinalizeBlock, ResponseQuery, RequestQuery } from 'cosmjs-types/tendermint/abci/types';
import type { Block } from 'cosmjs-types/tendermint/types/block';
import type { BlockID, Commit } from 'cosmjs-types/tendermint/types/types';
import type { ConsensusParams } from 'cosmjs-types/tendermint/types/params';
import type { SignedTxFailedNotice } from './notices/txFailed';

/** A validator as CometBFT reports it (ed25519 consensus key). */
export interface NodeValidator {
  /** sha256(pubkey)[:20] */
  address: Uint8Array;
  pubKey: Uint8Array;
  power: bigint;
  proposerPriority: bigint;
}

/** Everything stored for one committed height. */
export interface StoredBlock {
  block: Block;
  blockId: BlockID;
  /** Serialized size of the block in bytes (block_meta.block_size). */
  size: number;
  /** The commit for this block (CometBFT stores it with the next block as last_commit; we keep the seen commit too). */
  seenCommit: Commit;
}

/** Read side of the block store, used by the RPC and gRPC-web servers. */
export interface BlockStoreReader {
  /** Lowest height still stored (pruning). */
  base(): number;
  /** Latest committed height; 0 before the first block. */
  height(): number;
  block(height: number): Promise<StoredBlock | undefined>;
  blockByHash(hash: Uint8Array): Promise<StoredBlock | undefined>;
  results(height: number): Promise<ResponseFinalizeBlock | undefined>;
  /** The validator set that signed `height`. */
  validators(height: number): Promise<NodeValidator[] | undefined>;
  consensusParams(height: number): Promise<ConsensusParams | undefined>;
  /** Locates a tx by its hash (sha256 of the tx bytes). */
  txByHash(hash: Uint8Array): Promise<{ height: number; index: number } | undefined>;
  /**
   * tx_search through the kv event index (optional: a reader without an index leaves it out).
   * Throws the query error for a malformed query and a page error for a page out of range.
   */
  txSearch?(query: string, opts: SearchPage): Promise<{ total: number; txs: Array<{ height: number; index: number }> }>;
  /** block_search through the block event index (optional, as txSearch). */
  blockSearch?(query: string, opts: SearchPage): Promise<{ total: number; heights: number[] }>;
}

/** Paging of searches, as the tx_search / block_search RPC parameters. */
export interface SearchPage {
  /** 1-based, default 1. */
  page?: number;
  /** Default 30, at most 100. */
  perPage?: number;
  orderBy?: 'asc' | 'desc' | '';
}

/** The mempool as the RPC server sees it. */
export interface MempoolView {
  size(): number;
  sizeBytes(): number;
  /** Oldest first, at most `limit`. */
  txs(limit: number): Uint8Array[];
  /** Runs CheckTx and, when accepted, adds the tx. Duplicate and full-pool refusals throw with CometBFT's message. */
  add(tx: Uint8Array): Promise<ResponseCheckTx>;
}

/** A committed block with its results (CometBFT's NewBlock / NewBlockHeader event data). */
export interface NewBlockEvent {
  height: number;
  stored: StoredBlock;
  results: ResponseFinalizeBlock;
}

/** One committed tx (CometBFT's Tx event data). */
export interface TxEvent {
  height: number;
  index: number;
  tx: Uint8Array;
  /** sha256 of the tx. */
  hash: Uint8Array;
  result: ExecTxResult;
}

/**
 * Events the engine emits for subscriptions (CometBFT's NewBlock, NewBlockHeader, Tx), after
 * the block is stored and committed by the application. For each height: every 'tx' in
 * block order, then 'newBlock', then 'block'. 'txFailed' (a signed notice) whenever the
 * mempool refuses or drops a tx, between blocks.
 */
export interface NodeEvents {
  on(event: 'block', listener: (height: number) => void): void;
  on(event: 'newBlock', listener: (e: NewBlockEvent) => void): void;
  on(event: 'tx', listener: (e: TxEvent) => void): void;
  on(event: 'txFailed', listener: (n: SignedTxFailedNotice) => void): void;
  off(event: 'block', listener: (height: number) => void): void;
  off(event: 'newBlock', listener: (e: NewBlockEvent) => void): void;
  off(event: 'tx', listener: (e: TxEvent) => void): void;
  off(event: 'txFailed', listener: (n: SignedTxFailedNotice) => void): void;
}

/** What servers need from a running node. */
export interface NodeHandle {
  chainId: string;
  moniker: string;
  /** Node ID: hex of sha256(node pubkey)[:20]. */
  nodeId: string;
  genesisJson: unknown;
  blocks: BlockStoreReader;
  mempool: MempoolView;
  events: NodeEvents;
  /** ABCI Query on the query connection's state (committed state). */
  query(req: RequestQuery): Promise<ResponseQuery>;
  /** ABCI CheckTx without adding to the mempool (the check_tx RPC). */
  checkTx(tx: Uint8Array): Promise<ResponseCheckTx>;
  /** This node's validator, if it is one. */
  validatorInfo(): { address: Uint8Array; pubKey: Uint8Array; power: bigint } | undefined;
  appInfo(): Promise<{ data: string; version: string; appVersion: bigint; lastBlockHeight: bigint; lastBlockAppHash: Uint8Array }>;
}
