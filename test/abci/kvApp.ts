/**
 * A small but real key/value ABCI application for driving the socket server in tests.
 *
 * Transactions are `key=value` (UTF-8, key non-empty, no second '='). State lives in
 * memory only; the app hash is sha256 of the state serialised in sorted key order, so two
 * instances fed the same blocks agree byte for byte. It keeps CometBFT's three states:
 * committed (queries, Info), check (mempool) and the block being executed.
 */
import { createHash } from 'node:crypto';
import type { AbciApplication } from '../../abci/application';
import {
  type ExecTxResult,
  type RequestApplySnapshotChunk,
  type RequestCheckTx,
  type RequestExtendVote,
  type RequestFinalizeBlock,
  type RequestInfo,
  type RequestInitChain,
  type RequestLoadSnapshotChunk,
  type RequestOfferSnapshot,
  type RequestPrepareProposal,
  type RequestProcessProposal,
  type RequestQuery,
  type RequestVerifyVoteExtension,
  type ResponseApplySnapshotChunk,
  ResponseApplySnapshotChunk_Result,
  type ResponseCheckTx,
  type ResponseCommit,
  type ResponseExtendVote,
  type ResponseFinalizeBlock,
  type ResponseInfo,
  type ResponseInitChain,
  type ResponseListSnapshots,
  type ResponseLoadSnapshotChunk,
  type ResponseOfferSnapshot,
  ResponseOfferSnapshot_Result,
  type ResponsePrepareProposal,
  type ResponseProcessProposal,
  ResponseProcessProposal_ProposalStatus,
  type ResponseQuery,
  type ResponseVerifyVoteExtension,
  ResponseVerifyVoteExtension_VerifyStatus,
  type Snapshot,
} from 'cosmjs-types/tendermint/abci/types';

export const KV_CODE_BAD_TX = 2;
export const KV_CODE_NOT_FOUND = 3;
export const KV_SNAPSHOT_FORMAT = 1;

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

export function kvTx(key: string, value: string): Uint8Array {
  return utf8.encode(`${key}=${value}`);
}

/** Parses `key=value`, or undefined when malformed. */
export function parseKvTx(tx: Uint8Array): [string, string] | undefined {
  let text: string;
  try {
    text = fromUtf8.decode(tx);
  } catch {
    return undefined;
  }
  const parts = text.split('=');
  if (parts.length !== 2 || parts[0].length === 0) return undefined;
  return [parts[0], parts[1]];
}

/** sha256 of the state with keys in sorted order: the app hash. */
export function kvStateHash(state: ReadonlyMap<string, string>): Uint8Array {
  return new Uint8Array(createHash('sha256').update(serialiseKv(state)).digest());
}

function serialiseKv(state: ReadonlyMap<string, string>): Uint8Array {
  const entries = [...state.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return utf8.encode(JSON.stringify(entries));
}

/** Handlers answer synchronously; subclasses in tests may answer asynchronously. */
type Answer<T> = T | Promise<T>;

const VERSION = 'kv-1';
const APP_VERSION = 1n;

export class KvApp implements AbciApplication {
  /** Every method called, in order (Echo and Flush excluded: the server answers those). */
  readonly calls: string[] = [];
  committed = new Map<string, string>();
  height = 0n;
  appHash: Uint8Array = kvStateHash(new Map());
  private check = new Map<string, string>();
  private block: { height: bigint; state: Map<string, string>; appHash: Uint8Array } | undefined;
  private snapshots: Array<{ snapshot: Snapshot; chunk: Uint8Array }> = [];
  private restoring: { snapshot: Snapshot; appHash: Uint8Array } | undefined;

  info(_req: RequestInfo): Answer<ResponseInfo> {
    this.calls.push('info');
    return { data: 'kv', version: VERSION, appVersion: APP_VERSION, lastBlockHeight: this.height, lastBlockAppHash: this.appHash };
  }

  initChain(req: RequestInitChain): Answer<ResponseInitChain> {
    this.calls.push('initChain');
    const state = new Map<string, string>();
    if (req.appStateBytes.length > 0) {
      const obj = JSON.parse(fromUtf8.decode(req.appStateBytes)) as Record<string, string>;
      for (const k of Object.keys(obj).sort()) state.set(k, String(obj[k]));
    }
    this.committed = state;
    this.check = new Map(state);
    this.appHash = kvStateHash(state);
    this.height = req.initialHeight > 0n ? req.initialHeight - 1n : 0n;
    return { validators: [], appHash: this.appHash };
  }

  query(req: RequestQuery): Answer<ResponseQuery> {
    this.calls.push('query');
    const base = { index: 0n, proofOps: undefined, height: this.height, codespace: '', info: '' };
    if (req.path !== '/key' && req.path !== '') {
      return { ...base, code: KV_CODE_BAD_TX, codespace: 'kv', log: `unknown path ${req.path}`, key: req.data, value: new Uint8Array() };
    }
    const key = Buffer.from(req.data).toString('utf8');
    const value = this.committed.get(key);
    if (value === undefined) return { ...base, code: KV_CODE_NOT_FOUND, codespace: 'kv', log: 'not found', key: req.data, value: new Uint8Array() };
    return { ...base, code: 0, log: 'exists', key: req.data, value: utf8.encode(value) };
  }

  checkTx(req: RequestCheckTx): Answer<ResponseCheckTx> {
    this.calls.push('checkTx');
    const kv = parseKvTx(req.tx);
    if (!kv) return checkResult(KV_CODE_BAD_TX, 'tx must be key=value');
    this.check.set(kv[0], kv[1]);
    return { ...checkResult(0, ''), data: utf8.encode(kv[0]), gasWanted: 1n };
  }

  prepareProposal(req: RequestPrepareProposal): Answer<ResponsePrepareProposal> {
    this.calls.push('prepareProposal');
    const txs: Uint8Array[] = [];
    let size = 0n;
    for (const tx of req.txs) {
      if (!parseKvTx(tx)) continue;
      if (req.maxTxBytes > 0n && size + BigInt(tx.length) > req.maxTxBytes) break;
      size += BigInt(tx.length);
      txs.push(tx);
    }
    return { txs };
  }

  processProposal(req: RequestProcessProposal): Answer<ResponseProcessProposal> {
    this.calls.push('processProposal');
    const ok = req.txs.every((tx) => parseKvTx(tx) !== undefined);
    return { status: ok ? ResponseProcessProposal_ProposalStatus.ACCEPT : ResponseProcessProposal_ProposalStatus.REJECT };
  }

  extendVote(req: RequestExtendVote): Answer<ResponseExtendVote> {
    this.calls.push('extendVote');
    return { voteExtension: utf8.encode(`ext-${req.height}`) };
  }

  verifyVoteExtension(req: RequestVerifyVoteExtension): Answer<ResponseVerifyVoteExtension> {
    this.calls.push('verifyVoteExtension');
    const ok = Buffer.from(req.voteExtension).toString() === `ext-${req.height}`;
    return { status: ok ? ResponseVerifyVoteExtension_VerifyStatus.ACCEPT : ResponseVerifyVoteExtension_VerifyStatus.REJECT };
  }

  finalizeBlock(req: RequestFinalizeBlock): Answer<ResponseFinalizeBlock> {
    this.calls.push('finalizeBlock');
    if (req.height !== this.height + 1n) {
      // CometBFT never skips a height; doing so would be a bug in block execution.
      throw new Error(`finalize height ${req.height}, expected ${this.height + 1n}`);
    }
    const state = new Map(this.committed);
    const txResults: ExecTxResult[] = req.txs.map((tx) => {
      const kv = parseKvTx(tx);
      if (!kv) return execResult(KV_CODE_BAD_TX, 'tx must be key=value');
      state.set(kv[0], kv[1]);
      return {
        ...execResult(0, ''),
        events: [{ type: 'kv', attributes: [{ key: 'key', value: kv[0], index: true }] }],
      };
    });
    const appHash = kvStateHash(state);
    this.block = { height: req.height, state, appHash };
    return { events: [], txResults, validatorUpdates: [], consensusParamUpdates: undefined, appHash };
  }

  commit(): Answer<ResponseCommit> {
    this.calls.push('commit');
    if (!this.block) throw new Error('commit without a finalized block');
    this.committed = this.block.state;
    this.height = this.block.height;
    this.appHash = this.block.appHash;
    this.block = undefined;
    this.check = new Map(this.committed);
    const chunk = serialiseKv(this.committed);
    const hash = new Uint8Array(createHash('sha256').update(chunk).digest());
    this.snapshots = [{ snapshot: { height: this.height, format: KV_SNAPSHOT_FORMAT, chunks: 1, hash, metadata: this.appHash }, chunk }];
    return { retainHeight: 0n };
  }

  listSnapshots(): Answer<ResponseListSnapshots> {
    this.calls.push('listSnapshots');
    return { snapshots: this.snapshots.map((s) => s.snapshot) };
  }

  loadSnapshotChunk(req: RequestLoadSnapshotChunk): Answer<ResponseLoadSnapshotChunk> {
    this.calls.push('loadSnapshotChunk');
    const s = this.snapshots.find((x) => x.snapshot.height === req.height && x.snapshot.format === req.format);
    return { chunk: s && req.chunk === 0 ? s.chunk : new Uint8Array() };
  }

  offerSnapshot(req: RequestOfferSnapshot): Answer<ResponseOfferSnapshot> {
    this.calls.push('offerSnapshot');
    if (!req.snapshot || req.snapshot.format !== KV_SNAPSHOT_FORMAT) return { result: ResponseOfferSnapshot_Result.REJECT_FORMAT };
    this.restoring = { snapshot: req.snapshot, appHash: req.appHash };
    return { result: ResponseOfferSnapshot_Result.ACCEPT };
  }

  applySnapshotChunk(req: RequestApplySnapshotChunk): Answer<ResponseApplySnapshotChunk> {
    this.calls.push('applySnapshotChunk');
    const r = this.restoring;
    const reject = { result: ResponseApplySnapshotChunk_Result.REJECT_SNAPSHOT, refetchChunks: [], rejectSenders: [] };
    if (!r || req.index !== 0) return reject;
    const hash = createHash('sha256').update(req.chunk).digest();
    if (!hash.equals(Buffer.from(r.snapshot.hash))) return { ...reject, result: ResponseApplySnapshotChunk_Result.RETRY, refetchChunks: [0] };
    const entries = JSON.parse(fromUtf8.decode(req.chunk)) as Array<[string, string]>;
    const state = new Map(entries);
    if (!Buffer.from(kvStateHash(state)).equals(Buffer.from(r.appHash))) return reject;
    this.committed = state;
    this.check = new Map(state);
    this.height = r.snapshot.height;
    this.appHash = r.appHash;
    this.restoring = undefined;
    return { result: ResponseApplySnapshotChunk_Result.ACCEPT, refetchChunks: [], rejectSenders: [] };
  }
}

function checkResult(code: number, log: string): ResponseCheckTx {
  return { code, data: new Uint8Array(), log, info: '', gasWanted: 0n, gasUsed: 0n, events: [], codespace: code ? 'kv' : '' };
}

function execResult(code: number, log: string): ExecTxResult {
  return { code, data: new Uint8Array(), log, info: '', gasWanted: 0n, gasUsed: 0n, events: [], codespace: code ? 'kv' : '' };
}
