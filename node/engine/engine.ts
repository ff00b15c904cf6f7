/**
 * The embedded single-validator engine: it drives an AbciApplication with exactly the
 * request sequence a CometBFT v0.38 node sends, stores CometBFT-identical blocks, and signs
 * them with the validator key, without any external process.
 *
 * Startup is CometBFT's handshake (Info; InitChain when the app is at height 0; replay of
 * stored blocks the app has not committed; an app ahead of the store is an error). Each
 * height then runs PrepareProposal -> ProcessProposal -> sign -> FinalizeBlock -> store ->
 * Commit -> mempool update/recheck.
 *
 * Single-node dev chain: this engine builds every block itself, but the header names the
 * proposer CometBFT's proposer-priority rotation elects for that height (priorities are
 * tracked for every validator and stored with each height's set). When its key is in the
 * validator set it signs the precommit; every other validator is recorded as absent in the
 * commit and in decided_last_commit (the app's liveness and rank logic see them as missing
 * blocks, which is what a real network without them would report). When its key is not in
 * the set it keeps producing blocks with all validators absent: such commits do not verify
 * for a light client, which is acceptable for a local dev chain and keeps the chain usable
 * until the app puts our key back.
 *
 * Crash safety: a proposal is persisted before it is signed, and the signature is recorded
 * (priv_validator_state.json, fsync) before the block is stored, so after a crash the same
 * block is re-used and no height is ever signed twice. Block + results + indexes are one
 * synced batch written before Commit, so the app is never ahead of the store and replay
 * brings it back in line.
 *
 * Pruning: after Commit, heights below the app's retain_height leave the block store (as
 * CometBFT's pruneBlocks); the app has committed them, so replay never needs them.
 */
import { EventEmitter } from 'node:events';
import * as path from 'node:path';
import pino from 'pino';
import {
  ResponseProcessProposal_ProposalStatus as ProposalStatus,
  type CommitInfo,
  type ExtendedCommitInfo,
  type ResponseFinalizeBlock,
} from 'cosmjs-types/tendermint/abci/types';
import { Block } from 'cosmjs-types/tendermint/types/block';
import { ConsensusParams } from 'cosmjs-types/tendermint/types/params';
import { BlockIDFlag } from 'cosmjs-types/tendermint/types/validator';
import { SignedMsgType, type Commit, type CommitSig } from 'cosmjs-types/tendermint/types/types';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import type { AbciApplication } from '../../abci/application';
import { BlockStore } from '../blockstore/blockStore';
import { Mempool, txProtoSize } from '../mempool/mempool';
import type { NewBlockEvent, NodeValidator, StoredBlock, TxEvent } from '../types';
import type { GenesisDoc } from './genesis';
import {
  blockId as computeBlockId,
  commitHash,
  consensusParamsHash,
  dataHash,
  evidenceHash,
  resultsHash,
  txHash as computeTxHash,
  validatorSetHash,
} from '../consensus/hashes';
import { merkleRoot } from '../consensus/merkle';
import { PrivValidator, STEP_PRECOMMIT, voteSignBytes, type PrivValidatorKey } from '../consensus/signing';
import { fromUpdate, incrementProposerPriority, newValidatorSet, nextValidatorSet, type NodeValidatorSet } from '../consensus/validatorSet';
import { ErrAppAhead, ErrAppHashMismatch, ErrEngineState, ErrNoValidators, ErrProposalRejected, ErrProposalTooLarge, ErrTxResultsLength } from './errors';
import { maxDataBytes, updateParams } from './blockLimits';
import { decodePending, decodeState, emptyBlockId, emptyCommit, encodePending, encodeState, type ChainState } from './chainState';
import { GO_ZERO_TIME, addMs, latest, nowTimestamp } from './time';

export * from './errors';
export { maxDataBytes } from './blockLimits';
export { GO_ZERO_TIME, nowTimestamp } from './time';

/** What the RPC reports as node_info.version, and what Info is told (cosmjs picks its client by it). */
export const COMETBFT_VERSION = '0.38.17';
/** CometBFT block protocol version (version.BlockProtocol). */
export const BLOCK_PROTOCOL = 11n;
const P2P_PROTOCOL = 8n;
const ABCI_VERSION = '2.0.0';

export interface EngineOptions {
  /** Node home: the store goes to <home>/data/blockstore.db, the sign state to <home>/data/priv_validator_state.json. */
  home: string;
  app: AbciApplication;
  genesis: GenesisDoc;
  privValidatorKey: PrivValidatorKey;
  /** Upper bound in ms between blocks while txs wait (--block-time). Default 1000. */
  blockTime?: number;
  /** Longest gap in ms without a block when the mempool is empty (--empty-block-interval). Default 5000. */
  emptyBlockInterval?: number;
  /** Delay in ms after a tx arrives before its block is cut, to batch arrivals. Default 10. */
  batchDelay?: number;
  /** Cap on a block's tx bytes, below what the consensus params allow. */
  maxTxBytes?: number;
  mempool?: { maxTxs?: number; maxTxsBytes?: number; maxTxBytes?: number; cacheSize?: number };
  logger?: pino.Logger;
  /** Test hook: called between the steps of a height (e.g. to crash there). */
  onStep?: (step: 'proposed' | 'signed' | 'finalized' | 'stored' | 'committed', height: number) => void | Promise<void>;
}

const hexU = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

export class Engine {
  readonly events = new EventEmitter();
  readonly mempool: Mempool;
  readonly privValidator: PrivValidator;
  private readonly log: pino.Logger;
  private state!: ChainState;
  /** Validator sets and params by height; immutable once written, so caching cannot change results. */
  private readonly valsCache = new Map<number, NodeValidatorSet>();
  private readonly paramsCache = new Map<number, ConsensusParams>();
  private stopping = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private lastBlockAt = 0;
  private txsWaitingSince?: number;
  private fatalError?: Error;
  private readonly blockTime: number;
  private readonly emptyBlockInterval: number;
  private readonly batchDelay: number;

  private constructor(
    private readonly opts: EngineOptions,
    readonly store: BlockStore,
  ) {
    this.log = opts.logger ?? pino({ name: 'engine' });
    this.blockTime = opts.blockTime ?? 1000;
    this.emptyBlockInterval = opts.emptyBlockInterval ?? 5000;
    this.batchDelay = opts.batchDelay ?? 10;
    this.mempool = new Mempool(opts.app, opts.mempool);
    this.privValidator = PrivValidator.load(opts.privValidatorKey, path.join(opts.home, 'data', 'priv_validator_state.json'));
    this.events.setMaxListeners(0);
  }

  /** Opens the store, runs the handshake (InitChain / replay), produces the first block if none, then keeps producing. */
  static async start(opts: EngineOptions): Promise<Engine> {
    const store = await BlockStore.open(path.join(opts.home, 'data', 'blockstore.db'));
    const engine = new Engine(opts, store);
    try {
      await engine.handshake();
      if (engine.state.lastHeight < engine.state.initialHeight) await engine.produceBlock();
    } catch (e) {
      await store.close();
      throw e;
    }
    engine.mempool.onAdded(() => {
      engine.txsWaitingSince ??= Date.now();
      engine.wake?.();
    });
    engine.lastBlockAt = Date.now();
    engine.loop = engine.run();
    return engine;
  }

  chainId(): string {
    return this.state.chainId;
  }

  height(): number {
    return this.state.lastHeight;
  }

  /** Resolves when the engine stops; rejects with the fatal error if it stopped on one. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    await this.store.close();
  }

  /** The fatal error that stopped block production, if any. */
  failure(): Error | undefined {
    return this.fatalError;
  }

  async validatorsAt(height: number): Promise<NodeValidator[]> {
    return (await this.validatorSetAt(height)).validators;
  }

  /** The set that signs `height` with the proposer its priorities elect for that height. */
  async validatorSetAt(height: number): Promise<NodeValidatorSet> {
    const cached = this.valsCache.get(height);
    if (cached !== undefined) return cached;
    const v = await this.store.validatorSet(height);
    if (v === undefined) throw ErrEngineState.wrap(`no validator set stored for height ${height}`);
    this.valsCache.set(height, v);
    return v;
  }

  async paramsAt(height: number): Promise<ConsensusParams> {
    const cached = this.paramsCache.get(height);
    if (cached !== undefined) return cached;
    const p = await this.store.consensusParams(height);
    if (p === undefined) throw ErrEngineState.wrap(`no consensus params stored for height ${height}`);
    this.paramsCache.set(height, p);
    return p;
  }

  // ---- handshake -------------------------------------------------------------------------

  private async handshake(): Promise<void> {
    const { app, genesis } = this.opts;
    const info = await app.info({ version: COMETBFT_VERSION, blockVersion: BLOCK_PROTOCOL, p2pVersion: P2P_PROTOCOL, abciVersion: ABCI_VERSION });
    const appHeight = Number(info.lastBlockHeight);
    const storeHeight = this.store.height();
    this.log.info({ appHeight, storeHeight, appHash: hexU(info.lastBlockAppHash) }, 'ABCI handshake');
    if (appHeight > storeHeight) {
      throw ErrAppAhead.wrap(`app is at height ${appHeight}, block store at ${storeHeight}`);
    }
    const saved = await this.store.engineState();
    if (saved !== undefined) this.state = decodeState(saved);

    if (appHeight === 0) {
      const res = await app.initChain({
        time: genesis.genesisTime,
        chainId: genesis.chainId,
        consensusParams: genesis.consensusParams,
        validators: genesis.validators.map((v) => ({ pubKey: { ed25519: v.pubKey }, power: v.power })),
        appStateBytes: genesis.appStateBytes,
        initialHeight: genesis.initialHeight,
      });
      if (storeHeight === 0) {
        const initialVals = res.validators.length > 0 ? res.validators.map(fromUpdate) : genesis.validators;
        if (initialVals.length === 0) throw ErrNoValidators.wrap('genesis has no validators and InitChain returned none');
        // CometBFT's genesis state: NewValidatorSet (one priority round) signs the initial
        // height, and a copy advanced one more round signs the next.
        const vals = newValidatorSet(initialVals);
        const nextVals = incrementProposerPriority(vals.validators, 1);
        const params = updateParams(genesis.consensusParams, res.consensusParams);
        const initial = Number(genesis.initialHeight);
        this.state = {
          chainId: genesis.chainId,
          initialHeight: initial,
          lastHeight: initial - 1,
          lastBlockId: emptyBlockId(),
          lastBlockTime: genesis.genesisTime,
          appHash: res.appHash.length > 0 ? res.appHash : genesis.appHash,
          // CometBFT sets the empty-list Merkle root after InitChain (RFC 6962 conformance).
          lastResultsHash: merkleRoot([]),
          appVersion: params.version?.app ?? 0n,
        };
        this.valsCache.clear();
        this.paramsCache.clear();
        await this.store.saveGenesis(
          [{ height: initial, set: vals }, { height: initial + 1, set: nextVals }],
          [{ height: initial, params }],
          encodeState(this.state),
        );
        this.log.info({ chainId: genesis.chainId, validators: vals.validators.length, appHash: hexU(this.state.appHash) }, 'chain initialised');
        return;
      }
    }
    if (this.state === undefined || this.state.lastHeight !== storeHeight) {
      throw ErrEngineState.wrap(`state record says height ${this.state?.lastHeight}, store holds ${storeHeight}`);
    }
    if (appHeight === storeHeight) {
      const stored = await this.store.results(storeHeight);
      if (stored !== undefined && !Buffer.from(stored.appHash).equals(Buffer.from(info.lastBlockAppHash))) {
        throw ErrAppHashMismatch.wrap(`app reports ${hexU(info.lastBlockAppHash)} at height ${appHeight}, block store has ${hexU(stored.appHash)}`);
      }
      return;
    }
    await this.replay(Math.max(appHeight + 1, this.state.initialHeight), storeHeight);
  }

  private async replay(from: number, to: number): Promise<void> {
    this.log.info({ from, to }, 'replaying stored blocks into the app');
    const started = Date.now();
    for (let h = from; h <= to; h++) {
      const stored = await this.store.block(h);
      const results = await this.store.results(h);
      if (stored === undefined || results === undefined) throw ErrEngineState.wrap(`block ${h} missing from the store during replay`);
      const header = stored.block.header;
      const res = await this.opts.app.finalizeBlock({
        txs: stored.block.data.txs,
        decidedLastCommit: await this.commitInfo(stored.block.lastCommit ?? emptyCommit(), h),
        misbehavior: [],
        hash: stored.blockId.hash,
        height: header.height,
        time: header.time,
        nextValidatorsHash: header.nextValidatorsHash,
        proposerAddress: header.proposerAddress,
      });
      if (!Buffer.from(res.appHash).equals(Buffer.from(results.appHash))) {
        throw ErrAppHashMismatch.wrap(`replaying height ${h}: app computed ${hexU(res.appHash)}, block store has ${hexU(results.appHash)}`);
      }
      if (!Buffer.from(resultsHash(res.txResults)).equals(Buffer.from(resultsHash(results.txResults)))) {
        throw ErrAppHashMismatch.wrap(`replaying height ${h}: tx results differ from the stored ones`);
      }
      await this.opts.app.commit();
      if ((h - from) % 100 === 99 || h === to) this.log.info({ height: h, to, ms: Date.now() - started }, 'replay progress');
    }
  }

  // ---- block production ------------------------------------------------------------------

  private async run(): Promise<void> {
    while (!this.stopping) {
      await this.waitUntilDue();
      if (this.stopping) break;
      try {
        await this.produceBlock();
      } catch (e) {
        this.fatalError = e as Error;
        this.log.fatal({ err: e, height: this.state.lastHeight + 1 }, 'block production stopped');
        this.stopping = true;
        this.events.emit('fatal', e);
      }
      this.lastBlockAt = Date.now();
      this.txsWaitingSince = this.mempool.waiting() > 0 ? Date.now() : undefined;
    }
  }

  private dueAt(): number {
    // Txs a proposal left out do not count: a mempool holding only txs no proposal includes
    // would otherwise cut an empty block every batchDelay (10 ms) instead of every
    // emptyBlockInterval (5 s).
    if (this.txsWaitingSince !== undefined && this.mempool.waiting() > 0) {
      return Math.min(this.lastBlockAt + this.blockTime, this.txsWaitingSince + this.batchDelay);
    }
    return this.lastBlockAt + this.emptyBlockInterval;
  }

  private async waitUntilDue(): Promise<void> {
    while (!this.stopping) {
      const wait = this.dueAt() - Date.now();
      if (wait <= 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, wait);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.wake = done;
      });
      this.wake = undefined;
    }
  }

  /** CommitInfo for FinalizeBlock at `height`: every validator of height-1 with whether it signed. */
  private async commitInfo(lastCommit: Commit, height: number): Promise<CommitInfo> {
    if (height <= this.state.initialHeight) return { round: 0, votes: [] };
    const vals = await this.validatorsAt(height - 1);
    if (lastCommit.signatures.length !== vals.length) {
      throw ErrEngineState.wrap(`last commit has ${lastCommit.signatures.length} signatures, validator set ${height - 1} has ${vals.length}`);
    }
    return {
      round: lastCommit.round,
      votes: vals.map((v, i) => ({ validator: { address: v.address, power: v.power }, blockIdFlag: lastCommit.signatures[i].blockIdFlag })),
    };
  }

  private async buildProposal(height: number): Promise<{ block: Block; voteTime: Timestamp; offered: Uint8Array[] }> {
    const s = this.state;
    const valSet = await this.validatorSetAt(height);
    const vals = valSet.validators;
    const nextVals = await this.validatorsAt(height + 1);
    const params = await this.paramsAt(height);
    const lastCommit: Commit =
      height > s.initialHeight
        ? ((await this.store.block(height - 1))?.seenCommit ?? this.fail(`missing commit for height ${height - 1}`))
        : emptyCommit();
    const info = await this.commitInfo(lastCommit, height);
    const time = height === s.initialHeight ? this.opts.genesis.genesisTime : latest(nowTimestamp(), addMs(s.lastBlockTime, 1));
    let maxBytes = maxDataBytes(params, vals.length);
    if (this.opts.maxTxBytes !== undefined) maxBytes = Math.min(maxBytes, this.opts.maxTxBytes);
    const proposer = valSet.proposer;
    const nextValidatorsHash = validatorSetHash(nextVals);

    const extended: ExtendedCommitInfo = {
      round: info.round,
      votes: info.votes.map((v) => ({ validator: v.validator, voteExtension: new Uint8Array(), extensionSignature: new Uint8Array(), blockIdFlag: v.blockIdFlag })),
    };
    const offered = this.mempool.reap(maxBytes, params.block?.maxGas ?? -1n);
    const prepared = await this.opts.app.prepareProposal({
      maxTxBytes: BigInt(maxBytes),
      txs: offered,
      localLastCommit: extended,
      misbehavior: [],
      height: BigInt(height),
      time,
      nextValidatorsHash,
      proposerAddress: proposer,
    });
    const size = prepared.txs.reduce((n, tx) => n + txProtoSize(tx), 0);
    if (size > maxBytes) throw ErrProposalTooLarge.wrap(`${size} bytes > ${maxBytes}`);

    const block: Block = {
      header: {
        version: { block: BLOCK_PROTOCOL, app: s.appVersion },
        chainId: s.chainId,
        height: BigInt(height),
        time,
        lastBlockId: s.lastBlockId,
        lastCommitHash: commitHash(lastCommit),
        dataHash: dataHash(prepared.txs),
        validatorsHash: validatorSetHash(vals),
        nextValidatorsHash,
        consensusHash: consensusParamsHash(params),
        appHash: s.appHash,
        lastResultsHash: s.lastResultsHash,
        evidenceHash: evidenceHash(),
        proposerAddress: proposer,
      },
      data: { txs: prepared.txs },
      evidence: { evidence: [] },
      lastCommit,
    };
    // A precommit is timestamped after the block it commits (CometBFT voteTime).
    return { block, voteTime: latest(nowTimestamp(), addMs(time, 1)), offered };
  }

  private fail(msg: string): never {
    throw ErrEngineState.wrap(msg);
  }

  /** One height, start to finish. Any error here is fatal to block production. */
  async produceBlock(): Promise<void> {
    const started = Date.now();
    const s = this.state;
    const height = s.lastHeight + 1;
    const step = async (name: Parameters<NonNullable<EngineOptions['onStep']>>[0]) => {
      if (this.opts.onStep) await this.opts.onStep(name, height);
    };

    // Re-use a proposal persisted before a crash: it may already carry our signature.
    let proposal: { block: Block; voteTime: Timestamp; offered?: Uint8Array[] } | undefined;
    let reused = false;
    const pending = await this.store.pendingProposal();
    if (pending !== undefined) {
      const p = decodePending(pending);
      if (Number(p.block.header.height) === height && Buffer.from(p.block.header.lastBlockId.hash).equals(Buffer.from(s.lastBlockId.hash))) {
        proposal = p;
        reused = true;
        this.log.info({ height }, 're-using the proposal persisted before restart');
      }
    }
    proposal ??= await this.buildProposal(height);
    const { block, voteTime } = proposal;
    const { blockId, size } = computeBlockId(block);
    const header = block.header;
    const vals = await this.validatorsAt(height);

    const processed = await this.opts.app.processProposal({
      txs: block.data.txs,
      proposedLastCommit: await this.commitInfo(block.lastCommit ?? emptyCommit(), height),
      misbehavior: [],
      hash: blockId.hash,
      height: header.height,
      time: header.time,
      nextValidatorsHash: header.nextValidatorsHash,
      proposerAddress: header.proposerAddress,
    });
    if (processed.status !== ProposalStatus.ACCEPT) {
      throw ErrProposalRejected.wrap(`height ${height} status ${processed.status}`);
    }
    if (!reused) await this.store.savePendingProposal(encodePending(block, voteTime));
    await step('proposed');

    const signatures: CommitSig[] = vals.map(() => ({
      blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_ABSENT,
      validatorAddress: new Uint8Array(),
      timestamp: GO_ZERO_TIME,
      signature: new Uint8Array(),
    }));
    const ours = vals.findIndex((v) => Buffer.from(v.address).equals(Buffer.from(this.privValidator.address)));
    if (ours >= 0) {
      const signBytes = voteSignBytes(s.chainId, { type: SignedMsgType.SIGNED_MSG_TYPE_PRECOMMIT, height: BigInt(height), round: 0, blockId, timestamp: voteTime });
      const signature = this.privValidator.sign(BigInt(height), 0, STEP_PRECOMMIT, signBytes);
      signatures[ours] = { blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_COMMIT, validatorAddress: this.privValidator.address, timestamp: voteTime, signature };
    }
    const seenCommit: Commit = { height: BigInt(height), round: 0, blockId, signatures };
    await step('signed');

    const res = await this.opts.app.finalizeBlock({
      txs: block.data.txs,
      decidedLastCommit: await this.commitInfo(block.lastCommit ?? emptyCommit(), height),
      misbehavior: [],
      hash: blockId.hash,
      height: header.height,
      time: header.time,
      nextValidatorsHash: header.nextValidatorsHash,
      proposerAddress: header.proposerAddress,
    });
    if (res.txResults.length !== block.data.txs.length) {
      throw ErrTxResultsLength.wrap(`${res.txResults.length} results for ${block.data.txs.length} txs at height ${height}`);
    }
    await step('finalized');

    const params = await this.paramsAt(height);
    const nextParams = updateParams(params, res.consensusParamUpdates);
    const valsAfterNext = nextValidatorSet(await this.validatorsAt(height + 1), res.validatorUpdates);
    const next: ChainState = {
      ...s,
      lastHeight: height,
      lastBlockId: blockId,
      lastBlockTime: header.time,
      appHash: res.appHash,
      lastResultsHash: resultsHash(res.txResults),
      appVersion: nextParams.version?.app ?? s.appVersion,
    };
    const stored: StoredBlock = { block, blockId, size, seenCommit };
    await this.store.saveBlock({
      stored,
      results: res,
      validators: [{ height: height + 2, set: valsAfterNext }],
      params: [{ height: height + 1, params: nextParams }],
      engineState: encodeState(next),
    });
    this.state = next;
    this.valsCache.set(height + 2, valsAfterNext);
    this.paramsCache.set(height + 1, nextParams);
    this.valsCache.delete(height - 2);
    this.paramsCache.delete(height - 1);
    await step('stored');

    let retainHeight = 0;
    const recheck = await this.mempool.exclusive(async () => {
      retainHeight = Number((await this.opts.app.commit()).retainHeight);
      const updated = await this.mempool.update(block.data.txs);
      return { ...updated, passedOver: this.mempool.markPassedOver(proposal.offered ?? []) };
    });
    await step('committed');
    if (retainHeight > 0) {
      const pruned = await this.store.prune(Math.min(retainHeight, height));
      if (pruned > 0) this.log.debug({ retainHeight, pruned, base: this.store.base() }, 'pruned blocks');
    }

    this.log.info(
      { height, txs: block.data.txs.length, appHash: hexU(res.appHash), hash: hexU(blockId.hash), ms: Date.now() - started, mempool: this.mempool.size(), ...recheck },
      'committed block',
    );
    this.publish(stored, res);
    this.mempool.notifyIncluded(height, block.data.txs, res.txResults);
  }

  private publish(stored: StoredBlock, results: ResponseFinalizeBlock): void {
    const height = Number(stored.block.header.height);
    const emit = (name: string, arg: unknown) => {
      try {
        this.events.emit(name, arg);
      } catch (e) {
        this.log.error({ err: e, event: name }, 'event listener failed');
      }
    };
    stored.block.data.txs.forEach((tx, index) => {
      const ev: TxEvent = { height, index, tx, hash: computeTxHash(tx), result: results.txResults[index] };
      emit('tx', ev);
    });
    const nb: NewBlockEvent = { height, stored, results };
    emit('newBlock', nb);
    emit('block', height);
  }
}
