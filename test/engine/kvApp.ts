/**
 * A small but real ABCI application for engine tests: txs are `key=value` bytes, state lives
 * in LevelDB, the app hash is sha256 over the sorted state, and Commit persists height, hash
 * and state in one batch, so restarts and replays are real.
 *
 * - `lock/<k>=...` makes later `k=...` txs fail (exercises RECHECK).
 * - `val:<pubkey hex>=<power>` emits an ed25519 validator update (power 0 removes).
 * - anything without `=` fails with code 2.
 * - `skip/<k>=…` passes CheckTx but PrepareProposal always leaves it out.
 */
import { createHash } from 'node:crypto';
import { ClassicLevel } from 'classic-level';
import {
  ResponseProcessProposal_ProposalStatus as ProcessProposalStatus,
  ResponseFinalizeBlock,
  type CommitInfo,
  type ExecTxResult,
  type RequestCheckTx,
  type RequestFinalizeBlock,
  type RequestInitChain,
  type RequestPrepareProposal,
  type RequestProcessProposal,
  type RequestQuery,
  type ResponseCheckTx,
  type ResponseInitChain,
  type ValidatorUpdate,
} from 'cosmjs-types/tendermint/abci/types';
import type { AbciApplication } from '../../abci/application';

interface Parsed {
  key: string;
  value: string;
}

function parse(tx: Uint8Array): Parsed | undefined {
  const s = Buffer.from(tx).toString('utf8');
  const i = s.indexOf('=');
  if (i <= 0) return undefined;
  return { key: s.slice(0, i), value: s.slice(i + 1) };
}

export function stateHash(state: Map<string, string>): Uint8Array {
  const h = createHash('sha256');
  for (const k of [...state.keys()].sort()) {
    const kb = Buffer.from(k);
    const vb = Buffer.from(state.get(k)!);
    h.update(Buffer.from([kb.length >> 8, kb.length & 255])).update(kb).update(Buffer.from([vb.length >> 8, vb.length & 255])).update(vb);
  }
  return h.digest();
}

export class KvApp implements AbciApplication {
  height = 0n;
  appHash: Uint8Array = new Uint8Array();
  state = new Map<string, string>();
  /** What the database holds, to write only the difference at Commit. */
  private persisted = new Map<string, string>();
  private pending?: { height: bigint; state: Map<string, string>; appHash: Uint8Array };
  private checkState = new Map<string, string>();
  /** Blocks to keep (Commit.retain_height = height - retainBlocks + 1, as the Cosmos SDK's min-retain-blocks); 0 keeps all. */
  retainBlocks = 0;
  /** Every call, in order: 'info', 'initChain', 'prepare:H', 'process:H', 'finalize:H', 'commit', 'check:NEW', 'check:RECHECK'. */
  readonly calls: string[] = [];
  readonly commitInfos = new Map<bigint, CommitInfo>();
  readonly finalizeRequests: RequestFinalizeBlock[] = [];
  rejectProposals = false;

  private constructor(private readonly db: ClassicLevel<string, string>) {}

  static async open(dir: string): Promise<KvApp> {
    const db = new ClassicLevel<string, string>(dir);
    await db.open();
    const app = new KvApp(db);
    const meta = await db.get('meta');
    if (meta !== undefined) {
      const m = JSON.parse(meta) as { height: string; appHash: string };
      app.height = BigInt(m.height);
      app.appHash = Buffer.from(m.appHash, 'hex');
      for await (const [k, v] of db.iterator({ gt: 's/', lt: 's0' })) app.state.set(k.slice(2), v);
    }
    app.checkState = new Map(app.state);
    app.persisted = new Map(app.state);
    return app;
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  info() {
    this.calls.push('info');
    return { data: 'kv', version: '1.0.0', appVersion: 1n, lastBlockHeight: this.height, lastBlockAppHash: this.appHash };
  }

  query(req: RequestQuery) {
    const key = Buffer.from(req.data).toString('utf8');
    const v = this.state.get(key);
    return {
      code: v === undefined ? 1 : 0,
      log: v === undefined ? 'not found' : '',
      info: '',
      index: 0n,
      key: req.data,
      value: Buffer.from(v ?? ''),
      height: this.height,
      codespace: v === undefined ? 'kv' : '',
    };
  }

  private validate(p: Parsed | undefined, state: Map<string, string>): { code: number; log: string } {
    if (p === undefined) return { code: 2, log: 'tx must be key=value' };
    if (state.has(`lock/${p.key}`)) return { code: 3, log: `key ${p.key} is locked` };
    return { code: 0, log: '' };
  }

  checkTx(req: RequestCheckTx): ResponseCheckTx {
    this.calls.push(req.type === 1 ? 'check:RECHECK' : 'check:NEW');
    const p = parse(req.tx);
    const v = this.validate(p, this.checkState);
    if (v.code === 0 && p !== undefined) this.checkState.set(p.key, p.value);
    return { code: v.code, data: new Uint8Array(), log: v.log, info: '', gasWanted: 1n, gasUsed: 0n, events: [], codespace: v.code === 0 ? '' : 'kv' };
  }

  async initChain(req: RequestInitChain): Promise<ResponseInitChain> {
    this.calls.push('initChain');
    const initial = req.appStateBytes.length > 0 ? (JSON.parse(Buffer.from(req.appStateBytes).toString('utf8')) as Record<string, string>) : {};
    this.state = new Map(Object.entries(initial));
    this.checkState = new Map(this.state);
    this.appHash = stateHash(this.state);
    return { validators: [], appHash: this.appHash, consensusParams: undefined };
  }

  /** Leaves out every `skip/…` tx: CheckTx admits it, no proposal ever includes it. */
  prepareProposal(req: RequestPrepareProposal) {
    this.calls.push(`prepare:${req.height}`);
    return { txs: req.txs.filter((t) => !Buffer.from(t).toString('utf8').startsWith('skip/')) };
  }

  processProposal(req: RequestProcessProposal) {
    this.calls.push(`process:${req.height}`);
    return { status: this.rejectProposals ? ProcessProposalStatus.REJECT : ProcessProposalStatus.ACCEPT };
  }

  extendVote() {
    return { voteExtension: new Uint8Array() };
  }

  verifyVoteExtension() {
    return { status: 1 };
  }

  finalizeBlock(req: RequestFinalizeBlock): ResponseFinalizeBlock {
    this.calls.push(`finalize:${req.height}`);
    if (req.height !== this.height + 1n) throw new Error(`kv app: finalize ${req.height} after ${this.height}`);
    this.finalizeRequests.push(req);
    this.commitInfos.set(req.height, req.decidedLastCommit);
    const state = new Map(this.state);
    const txResults: ExecTxResult[] = [];
    const validatorUpdates: ValidatorUpdate[] = [];
    for (const tx of req.txs) {
      const p = parse(tx);
      const v = this.validate(p, state);
      if (v.code !== 0 || p === undefined) {
        txResults.push({ code: v.code, data: new Uint8Array(), log: v.log, info: '', gasWanted: 1n, gasUsed: 1n, events: [], codespace: 'kv' });
        continue;
      }
      state.set(p.key, p.value);
      if (p.key.startsWith('val:')) {
        validatorUpdates.push({ pubKey: { ed25519: Buffer.from(p.key.slice(4), 'hex') }, power: BigInt(p.value) });
      }
      txResults.push({
        code: 0,
        data: createHash('sha256').update(tx).digest(),
        log: '',
        info: '',
        gasWanted: 1n,
        gasUsed: BigInt(tx.length),
        events: [
          {
            type: 'kv',
            attributes: [
              { key: 'key', value: p.key, index: true },
              { key: 'value', value: p.value, index: false },
              { key: 'size', value: String(tx.length), index: true },
            ],
          },
        ],
        codespace: '',
      });
    }
    const appHash = stateHash(state);
    this.pending = { height: req.height, state, appHash };
    return ResponseFinalizeBlock.fromPartial({
      events: [{ type: 'kvblock', attributes: [{ key: 'txs', value: String(req.txs.length), index: true }] }],
      txResults,
      validatorUpdates,
      appHash,
    });
  }

  async commit() {
    this.calls.push('commit');
    const p = this.pending;
    if (p === undefined) throw new Error('kv app: commit without finalize');
    const batch = this.db.batch();
    for (const k of this.persisted.keys()) if (!p.state.has(k)) batch.del(`s/${k}`);
    for (const [k, v] of p.state) if (this.persisted.get(k) !== v) batch.put(`s/${k}`, v);
    batch.put('meta', JSON.stringify({ height: p.height.toString(), appHash: Buffer.from(p.appHash).toString('hex') }));
    await batch.write();
    this.state = p.state;
    this.persisted = new Map(p.state);
    this.height = p.height;
    this.appHash = p.appHash;
    this.checkState = new Map(this.state);
    this.pending = undefined;
    const retain = this.retainBlocks > 0 && p.height > BigInt(this.retainBlocks) ? p.height - BigInt(this.retainBlocks) + 1n : 0n;
    return { retainHeight: retain };
  }

  listSnapshots() {
    return { snapshots: [] };
  }
  offerSnapshot() {
    return { result: 0 };
  }
  loadSnapshotChunk() {
    return { chunk: new Uint8Array() };
  }
  applySnapshotChunk() {
    return { result: 0, refetchChunks: [], rejectSenders: [] };
  }
}
