/**
 * BaseApp: the ABCI 2.0 application over a module manager and a committed multistore.
 *
 * States, as in the Cosmos SDK:
 * - check state: a branch of the committed state, reset at every Commit; CheckTx NEW and
 *   RECHECK run their ante pipeline on it, so sequences advance between mempool txs;
 * - block state: a branch cut at InitChain or FinalizeBlock, folded into the working
 *   trees at the end of the block (FinalizeBlock returns their working hash) and
 *   persisted by Commit in one atomic write. InitChain's writes are committed with the
 *   first block;
 * - queries read committed versions only.
 *
 * Inside a block, a registered (coded) error fails one tx; any other exception is a bug
 * and propagates, so the node stops loudly instead of committing a different AppHash.
 */
import { isEmptyFloor } from './mempoolFees';
import type {
  RequestApplySnapshotChunk,
  RequestCheckTx,
  RequestFinalizeBlock,
  RequestInfo,
  RequestInitChain,
  RequestLoadSnapshotChunk,
  RequestOfferSnapshot,
  RequestPrepareProposal,
  RequestProcessProposal,
  RequestQuery,
  ResponseApplySnapshotChunk,
  ResponseCheckTx,
  ResponseCommit,
  ResponseFinalizeBlock,
  ResponseInfo,
  ResponseInitChain,
  ResponseListSnapshots,
  ResponseLoadSnapshotChunk,
  ResponseOfferSnapshot,
  ResponsePrepareProposal,
  ResponseProcessProposal,
  ResponseQuery,
  ExecTxResult,
  Event,
  ValidatorUpdate,
} from 'cosmjs-types/tendermint/abci/types';
import {
  CheckTxType,
  ResponseApplySnapshotChunk_Result,
  ResponseOfferSnapshot_Result,
  ResponseProcessProposal_ProposalStatus,
  ResponseVerifyVoteExtension_VerifyStatus,
} from 'cosmjs-types/tendermint/abci/types';
import type { SimulateResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import type { AbciApplication } from '../abci/application';
import { verifySecp256k1 } from '../crypto/secp256k1';
import type { SignatureSet, SignatureVerifier } from '../crypto/verifier';
import type { CommitId, KVReader, KVStore } from '../store/types';
import { CodedError } from '../types/errors';
import { DEFAULT_ANTE_PARAMS, signerPubKey, txSigners, type AnteDeps } from './ante';
import { Context, type BlockInfo, type ExecMode, type Timestamp } from './context';
import {
  ErrBlockTimeInFuture,
  ErrBlockTimeNotAfterPrevious,
  ErrInvalidGenesis,
  ErrInvalidHeight,
  ErrInvariantBroken,
  errorResult,
  isCoded,
} from './errors';
import { EventManager, EventTypes, markIndexed } from './events';
import { defaultFeeParams } from './expectedKeepers';
import type { ModuleManager } from './manager';
import type { ProposalTx, QueryRoute, ValidatorPowerUpdate } from './module';
import { reflectionQueries } from './reflection';
import type { CommitMultiStore } from './multistore';
import { handleQuery, type QueryHost } from './query';
import { VerifiedSignatures } from './sigcache';
import { decodeTx, directSignDigest, type DecodedTx } from './tx';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { checkBlockGas, fitBlockGas } from './blockGas';
import { runTx, toExecTxResult, type BlockState, type TxOutcome, type TxRunner } from './runTx';
import { RUNTIME_STORE, readChainId, upgradeGate, writeChainId, writeChainVersion } from './upgrade';

export type { BlockState, TxOutcome } from './runTx';

import type { BaseAppOptions, SnapshotAppHeader, SnapshotService } from './baseappOptions';

export type { BaseAppOptions, SnapshotAppHeader, SnapshotService } from './baseappOptions';

/**
 * Kolme's drift bound (seed 002, "Timestamp verification"): 2 minutes. A block more than
 * this ahead of a validator's clock is refused by its ProcessProposal, and the mempool
 * rules refuse tx timestamps more than this away from the node's clock.
 */
export const MAX_BLOCK_TIME_DRIFT_MS = 120_000n;

function timeNanos(t: Timestamp): bigint {
  return t.seconds * 1_000_000_000n + BigInt(t.nanos);
}

const ZERO_TIME: Timestamp = { seconds: 0n, nanos: 0 };

/** The store keys a BaseApp needs mounted: every module's plus the runtime's own. */
export function baseAppStoreKeys(modules: ModuleManager): string[] {
  return [...modules.storeKeys(), RUNTIME_STORE].sort();
}

export class BaseApp implements AbciApplication, QueryHost {
  readonly name: string;
  readonly codeVersion: string;
  readonly appVersion: bigint;
  readonly store: CommitMultiStore;
  readonly modules: ModuleManager;
  private readonly anteDeps: AnteDeps;
  private readonly minRetainBlocks: number;
  private readonly verifier?: SignatureVerifier;
  private readonly invariantCheckPeriod: number;
  readonly snapshots?: SnapshotService;
  private readonly clock?: () => Timestamp;
  readonly sigCache: VerifiedSignatures;
  private chain: string;
  private initialHeight = 1;
  private check: BlockState;
  /** The block being executed (after InitChain or FinalizeBlock, until Commit). */
  private pending?: { height: number; kind: 'init' | 'block' };
  private lastBlockTime: Timestamp = ZERO_TIME;
  private readonly txRunner: TxRunner;
  /** The app's own query services (reflection), beside the modules'. */
  private readonly ownQueries: ReadonlyMap<string, QueryRoute>;
  /** consensus_params.block.max_gas; -1 for none. */
  private blockMaxGas: bigint;
  /** app.toml index-events: the attributes marked for the tx indexer (none: all). */
  private readonly indexEvents?: ReadonlySet<string>;

  constructor(opts: BaseAppOptions) {
    this.name = opts.name;
    this.codeVersion = opts.codeVersion;
    this.appVersion = opts.appVersion ?? 0n;
    this.store = opts.store;
    this.modules = opts.modules;
    this.minRetainBlocks = opts.minRetainBlocks ?? 0;
    this.verifier = opts.verifier;
    this.invariantCheckPeriod = opts.invariantCheckPeriod ?? 0;
    this.snapshots = opts.snapshots;
    this.clock = opts.clock;
    this.blockMaxGas = opts.blockMaxGas ?? -1n;
    this.indexEvents = opts.indexEvents && opts.indexEvents.length > 0 ? new Set(opts.indexEvents) : undefined;
    this.sigCache = opts.sigCache ?? new VerifiedSignatures();
    this.anteDeps = {
      accounts: opts.accounts,
      bank: opts.bank,
      feeParams: opts.feeParams ?? defaultFeeParams,
      verify: this.sigCache.wrap(opts.verify ?? verifySecp256k1),
      params: { ...DEFAULT_ANTE_PARAMS, ...opts.ante },
      feeFloor: opts.feeFloor && !isEmptyFloor(opts.feeFloor) ? opts.feeFloor : undefined,
      amino: opts.amino,
      blockMaxGas: () => this.blockMaxGas,
    };
    this.txRunner = { modules: this.modules, anteDeps: this.anteDeps, clock: this.clock };
    this.ownQueries = new Map(reflectionQueries({ modules: this.modules, aminoJson: this.anteDeps.amino !== undefined }).map((r) => [r.path, r]));
    const last = this.store.lastCommitId().version;
    this.chain = last > 0 ? (readChainId(this.store.readerAt(RUNTIME_STORE, last)) ?? '') : '';
    this.check = this.newCheckState();
  }

  chainId(): string {
    return this.chain;
  }

  /** Closes the state database; the app must not be used afterwards. */
  async close(): Promise<void> {
    await this.snapshots?.close();
    await this.store.close();
  }

  queryRoute(path: string): QueryRoute | undefined {
    return this.modules.queryRoute(path) ?? this.ownQueries.get(path);
  }

  // ---------------------------------------------------------------- info / query

  info(_req: RequestInfo): ResponseInfo {
    const last = this.store.lastCommitId();
    return {
      data: this.name,
      version: this.codeVersion,
      appVersion: this.appVersion,
      lastBlockHeight: BigInt(last.version),
      lastBlockAppHash: last.version > 0 ? last.hash : new Uint8Array(),
    };
  }

  query(req: RequestQuery): ResponseQuery {
    return handleQuery(this, req);
  }

  // ---------------------------------------------------------------- genesis

  /**
   * Validates the whole request (chain id, height, app state, every module's genesis) and runs
   * InitGenesis on a branch before anything of the app changes: a refused InitChain leaves the
   * chain id, the check state and the store exactly as they were.
   */
  initChain(req: RequestInitChain): ResponseInitChain {
    if (this.store.lastCommitId().version > 0) {
      throw ErrInvalidHeight.wrap('InitChain on a chain that already has committed blocks');
    }
    if (this.pending !== undefined) throw ErrInvalidHeight.wrap('InitChain was already called for this chain');
    // CometBFT's MaxChainIDLen.
    if (req.chainId === '' || req.chainId.length > 50) {
      throw ErrInvalidGenesis.wrap(`chain id must have 1 to 50 characters, got ${req.chainId.length}`);
    }
    const initialHeight = Number(req.initialHeight) || 1;
    if (initialHeight !== this.store.nextVersion()) {
      // Caught here, not at the first Commit: the store would write version N for block M.
      throw ErrInvalidHeight.wrap(
        `genesis initial_height is ${initialHeight} but the state store was opened for initial version ${this.store.nextVersion()}; ` +
          'open the app with the genesis initial height (sekaid-ts start reads it from genesis.json)',
      );
    }
    const appState = parseAppState(req.appStateBytes);
    this.modules.validateGenesis(appState);
    const branch = this.store.cacheMultiStore();
    const block: BlockInfo = { chainId: req.chainId, height: initialHeight, time: req.time ?? ZERO_TIME, proposer: new Uint8Array() };
    const ctx = new Context({ mode: 'deliver', block, stores: branch, consensusParams: req.consensusParams });
    const runtime = branch.getStore(RUNTIME_STORE);
    writeChainVersion(runtime, this.codeVersion);
    writeChainId(runtime, req.chainId);
    const validators = this.modules.initGenesis(ctx, appState);
    // Everything validated and executed: only now does the app take the new chain.
    this.chain = req.chainId;
    this.initialHeight = initialHeight;
    const maxGas = req.consensusParams?.block?.maxGas;
    if (maxGas !== undefined) this.blockMaxGas = maxGas;
    branch.write();
    this.pending = { height: this.initialHeight - 1, kind: 'init' };
    this.lastBlockTime = block.time;
    // Txs may arrive before the first block: check them against genesis, on this chain id.
    this.check = this.newCheckState();
    return {
      consensusParams: undefined,
      validators: validators.map(toAbciValidatorUpdate),
      appHash: this.store.workingHash(),
    };
  }

  /** Exports every module's genesis section at a committed height (0 = latest). */
  exportGenesis(height = 0): Record<string, unknown> {
    const version = height === 0 ? this.store.lastCommitId().version : height;
    if (!this.store.versionExists(version)) throw ErrInvalidHeight.wrap(`version ${version} is not available`);
    const stores = {
      getStore: (name: string) => readOnly(this.store.readerAt(name, version)),
    };
    const block: BlockInfo = { chainId: this.chain, height: version, time: ZERO_TIME, proposer: new Uint8Array() };
    return this.modules.exportGenesis(new Context({ mode: 'deliver', block, stores }));
  }

  // ---------------------------------------------------------------- mempool

  checkTx(req: RequestCheckTx): ResponseCheckTx {
    const mode: ExecMode = req.type === CheckTxType.RECHECK ? 'recheck' : 'check';
    let out: TxOutcome;
    try {
      out = this.runTx(mode, this.check, req.tx);
    } catch (err) {
      // Internal errors during CheckTx refuse the tx without detail; the state is untouched.
      const r = errorResult(err);
      out = { ...r, gasWanted: 0, gasUsed: 0, events: [], data: new Uint8Array(), msgResponses: [] };
    }
    return {
      code: out.code,
      data: new Uint8Array(),
      log: out.log,
      info: '',
      gasWanted: BigInt(out.gasWanted),
      gasUsed: BigInt(out.gasUsed),
      // CometBFT reads only the code of a recheck and shows its answer to nobody: the events
      // would cost an encoding here and a decoding there for each tx left in the mempool.
      events: mode === 'recheck' ? [] : markIndexed(out.events, this.indexEvents),
      codespace: out.codespace,
    };
  }

  /** Runs a tx on a throw-away branch of the check state (cosmjs gas estimation). */
  simulate(txBytes: Uint8Array): SimulateResponse {
    const state: BlockState = { branch: this.check.branch.branch(), block: this.check.block };
    const out = this.runTx('simulate', state, txBytes);
    if (out.code !== 0) throw new CodedError(out.codespace, out.code, out.log, out.log);
    return {
      gasInfo: { gasWanted: BigInt(out.gasWanted), gasUsed: BigInt(out.gasUsed) },
      result: { data: out.data, log: out.log, events: out.events, msgResponses: out.msgResponses },
    };
  }

  // ---------------------------------------------------------------- proposals

  /**
   * Keeps the offered txs in order while they fit the block's bytes, and within its max gas
   * (`runtime/blockGas.ts`), before and after the modules' rules.
   */
  prepareProposal(req: RequestPrepareProposal): ResponsePrepareProposal {
    const maxBytes = Number(req.maxTxBytes);
    const candidates: ProposalTx[] = [];
    let total = 0;
    for (const bytes of req.txs) {
      if (total + bytes.length > maxBytes) break;
      const tx = this.tryDecode(bytes);
      if (!tx) continue; // undecodable txs can only fail; leave them out
      candidates.push({ bytes, tx });
      total += bytes.length;
    }
    const ctx = this.proposalContext('prepare', req.height, req.time, req.proposerAddress);
    const chosen = fitBlockGas(this.modules.prepareProposal(ctx, fitBlockGas(candidates, this.blockMaxGas)), this.blockMaxGas);
    const txs: Uint8Array[] = [];
    total = 0;
    for (const p of chosen) {
      if (total + p.bytes.length > maxBytes) break;
      txs.push(p.bytes);
      total += p.bytes.length;
    }
    return { txs };
  }

  async processProposal(req: RequestProcessProposal): Promise<ResponseProcessProposal> {
    const txs: ProposalTx[] = req.txs.map((bytes) => ({ bytes, tx: this.tryDecode(bytes) }));
    const ctx = this.proposalContext('process', req.height, req.time, req.proposerAddress);
    try {
      this.checkBlockTime(req.time ?? ZERO_TIME);
      checkBlockGas(txs, this.blockMaxGas);
      this.modules.processProposal(ctx, txs);
    } catch (err) {
      if (!isCoded(err)) throw err;
      return { status: ResponseProcessProposal_ProposalStatus.REJECT };
    }
    if (this.verifier) await this.preverify(ctx, txs);
    return { status: ResponseProcessProposal_ProposalStatus.ACCEPT };
  }

  /**
   * Kolme's block timestamp rules (seed 002): a block must be later than the previous one,
   * and no more than `MAX_BLOCK_TIME_DRIFT_MS` (2 min) ahead of this node's clock. CometBFT's
   * BFT time already keeps honest proposals inside both; these refuse a faulty or hostile
   * proposer's. The previous block's time is the one this process executed last (it is not
   * state, so a block with only failing txs leaves the AppHash as it was): the first
   * proposal after a restart, and the first block of a chain, are judged by the clock only.
   */
  private checkBlockTime(time: Timestamp): void {
    const t = timeNanos(time);
    if (this.lastBlockTime.seconds > 0n && this.pending?.kind !== 'init') {
      const prev = timeNanos(this.lastBlockTime);
      if (t <= prev) {
        throw ErrBlockTimeNotAfterPrevious.wrap(`block time ${time.seconds}.${time.nanos}s, previous block ${this.lastBlockTime.seconds}.${this.lastBlockTime.nanos}s`);
      }
    }
    if (this.clock) {
      const aheadMs = (t - timeNanos(this.clock())) / 1_000_000n;
      if (aheadMs > MAX_BLOCK_TIME_DRIFT_MS) {
        throw ErrBlockTimeInFuture.wrap(`block time is ${aheadMs} ms ahead of this node's clock; at most ${MAX_BLOCK_TIME_DRIFT_MS} ms`);
      }
    }
  }

  /**
   * Verifies the proposal's signatures in one batch (off the main thread with a worker
   * pool) and remembers the valid ones, so FinalizeBlock skips them. Only a warm-up: a tx
   * whose signer or key cannot be resolved here is verified, or refused, in FinalizeBlock.
   */
  private async preverify(ctx: Context, txs: readonly ProposalTx[]): Promise<void> {
    const sets: SignatureSet[] = [];
    for (const { tx } of txs) {
      if (!tx) continue;
      try {
        txSigners(tx).forEach((ref, i) => {
          const info = tx.authInfo.signerInfos[i];
          const signature = tx.raw.signatures[i];
          // Only direct signatures are warmed up; amino ones are verified in FinalizeBlock.
          if (!info || !signature || info.modeInfo?.single?.mode !== SignMode.SIGN_MODE_DIRECT) return;
          const account = this.anteDeps.accounts.resolveSigner(ctx, ref);
          if (!account) return;
          const pubkey = signerPubKey(info, i) ?? (account.pubKeys.length === 1 ? account.pubKeys[0] : undefined);
          if (!pubkey) return;
          const msgHash = directSignDigest(tx, this.chain, account.accountNumber);
          if (!this.sigCache.has(pubkey, msgHash, signature)) sets.push({ pubkey, msgHash, signature });
        });
      } catch (err) {
        if (!isCoded(err)) throw err;
      }
    }
    if (sets.length === 0 || !this.verifier) return;
    const verdicts = await this.verifier.verifyBatch(sets);
    verdicts.forEach((ok, i) => {
      if (ok) this.sigCache.add(sets[i].pubkey, sets[i].msgHash, sets[i].signature);
    });
  }

  extendVote() {
    return { voteExtension: new Uint8Array() };
  }

  verifyVoteExtension() {
    return { status: ResponseVerifyVoteExtension_VerifyStatus.ACCEPT };
  }

  // ---------------------------------------------------------------- blocks

  finalizeBlock(req: RequestFinalizeBlock): ResponseFinalizeBlock {
    const height = Number(req.height);
    const expected = this.pending?.kind === 'init' ? this.initialHeight : this.store.lastCommitId().version + 1;
    if (this.pending?.kind === 'block' || height !== expected) {
      throw ErrInvalidHeight.wrap(`FinalizeBlock for height ${height}, expected ${expected}`);
    }
    const branch = this.store.cacheMultiStore();
    const block: BlockInfo = { chainId: this.chain, height, time: req.time ?? ZERO_TIME, proposer: req.proposerAddress };
    const base = new Context({
      mode: 'deliver',
      block,
      stores: branch,
      decidedLastCommit: req.decidedLastCommit,
      misbehavior: req.misbehavior,
    });
    const events: Event[] = [];

    const beginEvents = new EventManager();
    const applied = upgradeGate(branch.getStore(RUNTIME_STORE), height, this.codeVersion);
    if (applied) beginEvents.emit(EventTypes.upgrade, [['name', applied.name], ['version', applied.version]]);
    this.modules.beginBlock(base.withEvents(beginEvents));
    events.push(...withMode(beginEvents.events(), 'BeginBlock'));

    const state: BlockState = { branch, block };
    const txResults: ExecTxResult[] = req.txs.map((tx, i) => toExecTxResult(this.runTx('deliver', state, tx, i), this.indexEvents));

    const endEvents = new EventManager();
    const end = this.modules.endBlock(base.withEvents(endEvents));
    events.push(...withMode(endEvents.events(), 'EndBlock'));

    if (this.invariantCheckPeriod > 0 && BigInt(height) % BigInt(this.invariantCheckPeriod) === 0n) {
      const broken = this.modules.checkInvariants(base.withEvents(new EventManager()));
      if (broken.length > 0) throw ErrInvariantBroken.wrap(`at height ${height}: ${broken.join('; ')}`);
    }
    branch.write();
    this.pending = { height, kind: 'block' };
    this.lastBlockTime = block.time;
    return {
      events: markIndexed(events, this.indexEvents),
      txResults,
      validatorUpdates: end.validatorUpdates.map(toAbciValidatorUpdate),
      consensusParamUpdates: end.consensusParamUpdates,
      appHash: this.store.workingHash(),
    };
  }

  async commit(): Promise<ResponseCommit> {
    if (this.pending?.kind !== 'block') throw ErrInvalidHeight.wrap('Commit without a finalized block');
    const height = this.pending.height;
    const id = await this.store.commit();
    if (id.version !== height) {
      throw ErrInvalidHeight.wrap(`the store committed version ${id.version} for block ${height}`);
    }
    this.pending = undefined;
    this.check = this.newCheckState();
    this.snapshots?.afterCommit(height, () => this.snapshotHeader(height));
    let retain = this.minRetainBlocks > 0 && height > this.minRetainBlocks ? height - this.minRetainBlocks + 1 : 0;
    // As the Cosmos SDK: blocks back to the oldest kept snapshot stay, so that a node joining
    // from it finds the headers its light client checks (min-retain-blocks only lowers this).
    const span = this.snapshots?.retainedSpan ?? 0;
    if (retain > 0 && span > 0) retain = Math.max(0, Math.min(retain, height - span));
    return { retainHeight: BigInt(retain) };
  }

  // ---------------------------------------------------------------- snapshots (state sync)

  listSnapshots(): ResponseListSnapshots {
    return this.snapshots ? this.snapshots.listSnapshots() : { snapshots: [] };
  }

  async offerSnapshot(req: RequestOfferSnapshot): Promise<ResponseOfferSnapshot> {
    if (!this.snapshots) return { result: ResponseOfferSnapshot_Result.ABORT };
    return this.snapshots.offerSnapshot(req, this.store.lastCommitId().version > 0 || this.pending !== undefined);
  }

  async loadSnapshotChunk(req: RequestLoadSnapshotChunk): Promise<ResponseLoadSnapshotChunk> {
    return this.snapshots ? this.snapshots.loadSnapshotChunk(req) : { chunk: new Uint8Array() };
  }

  async applySnapshotChunk(req: RequestApplySnapshotChunk): Promise<ResponseApplySnapshotChunk> {
    if (!this.snapshots) return { result: ResponseApplySnapshotChunk_Result.ABORT, refetchChunks: [], rejectSenders: [] };
    const { response, restored } = await this.snapshots.applySnapshotChunk(req);
    if (restored) this.resumeFromSnapshot(restored.commit, restored.appHeader);
    return response;
  }

  /** The header record of a snapshot of `height` (taken right after its Commit, so the last block time is its). */
  snapshotHeader(height: number, blockTime: Timestamp = this.lastBlockTime): Uint8Array {
    const h: SnapshotAppHeader = {
      chain_id: this.chain,
      app_name: this.name,
      code_version: this.codeVersion,
      height,
      block_time: { seconds: blockTime.seconds.toString(), nanos: blockTime.nanos },
    };
    return new TextEncoder().encode(JSON.stringify(h));
  }

  /** After a restore: the chain id from the restored runtime store, the block time from the header. */
  resumeFromSnapshot(commit: CommitId, appHeader: Uint8Array): void {
    let header: Partial<SnapshotAppHeader> = {};
    try {
      header = JSON.parse(new TextDecoder().decode(appHeader)) as Partial<SnapshotAppHeader>;
    } catch {
      // The stores are whole and verified; without the header CheckTx uses time zero until the next block.
    }
    this.chain = readChainId(this.store.readerAt(RUNTIME_STORE, commit.version)) ?? header.chain_id ?? '';
    const t = header.block_time;
    if (t && /^\d+$/.test(t.seconds) && Number.isSafeInteger(t.nanos)) this.lastBlockTime = { seconds: BigInt(t.seconds), nanos: t.nanos };
    this.pending = undefined;
    this.check = this.newCheckState();
  }

  // ---------------------------------------------------------------- tx execution (runTx.ts)

  /**
   * Runs one tx: size, decode, ante on its own branch (kept even when messages fail, so
   * the fee and sequence are taken), then — outside CheckTx — all messages on a second
   * branch that is kept only if every message succeeds. Registered errors become the
   * outcome; other exceptions propagate. `txIndex` is the tx's position in its block
   * (FinalizeBlock only).
   */
  runTx(mode: ExecMode, state: BlockState, txBytes: Uint8Array, txIndex?: number): TxOutcome {
    return runTx(this.txRunner, mode, state, txBytes, txIndex);
  }

  // ---------------------------------------------------------------- helpers

  private newCheckState(): BlockState {
    const last = this.store.lastCommitId().version;
    return {
      branch: this.store.cacheMultiStore(),
      // CheckTx judges a tx as if it went into the next block (timeout height, etc.).
      block: { chainId: this.chain, height: last > 0 ? last + 1 : this.initialHeight, time: this.lastBlockTime, proposer: new Uint8Array() },
    };
  }

  private proposalContext(mode: ExecMode, height: bigint, time: Timestamp | undefined, proposer: Uint8Array): Context {
    return new Context({
      mode,
      block: { chainId: this.chain, height: Number(height), time: time ?? ZERO_TIME, proposer },
      stores: this.store.cacheMultiStore(),
    });
  }

  private tryDecode(bytes: Uint8Array): DecodedTx | undefined {
    try {
      if (bytes.length > this.anteDeps.params.maxTxBytes) return undefined;
      return decodeTx(bytes, this.modules);
    } catch (err) {
      if (isCoded(err)) return undefined;
      throw err;
    }
  }
}

function parseAppState(bytes: Uint8Array): Record<string, unknown> {
  if (bytes.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw ErrInvalidGenesis.wrap('app_state is not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw ErrInvalidGenesis.wrap('app_state must be a JSON object with one section per module');
  }
  return parsed as Record<string, unknown>;
}

function toAbciValidatorUpdate(u: ValidatorPowerUpdate): ValidatorUpdate {
  return { pubKey: { ed25519: u.ed25519PubKey }, power: u.power };
}

/** Block-level events carry `mode` so indexers can tell begin- from end-block events. */
function withMode(events: Event[], mode: string): Event[] {
  return events.map((e) => ({ type: e.type, attributes: [...e.attributes, { key: 'mode', value: mode, index: true }] }));
}

/** A store view that refuses writes (genesis export reads a committed version). */
function readOnly(reader: KVReader): KVStore {
  return {
    get: (k) => reader.get(k),
    has: (k) => reader.has(k),
    iterator: (s, e) => reader.iterator(s, e),
    reverseIterator: (s, e) => reader.reverseIterator(s, e),
    set: () => {
      throw ErrInvalidHeight.wrap('state is read-only during genesis export');
    },
    delete: () => {
      throw ErrInvalidHeight.wrap('state is read-only during genesis export');
    },
  };
}

