/**
 * The block store: every committed block with its ID, seen commit, FinalizeBlock response,
 * the validator set and consensus params per height, and the kv tx/block indexes that
 * tx_search and block_search read. One LevelDB at `<home>/data/blockstore.db`.
 *
 * A block and everything derived from it (results, indexes, next validator sets, the engine's
 * state record) is written in one synced batch, so after a crash the store holds either the
 * whole height or none of it.
 *
 * Pruning (`prune(retainHeight)`, driven by the app's Commit retain_height) deletes whole
 * heights from the bottom: block, hash, results, tx and event index entries, and the
 * validator sets and params no retained height needs. `base()` is the lowest height left.
 */
import { ClassicLevel } from 'classic-level';
import { ResponseFinalizeBlock, type Event } from 'cosmjs-types/tendermint/abci/types';
import { PublicKey } from 'cosmjs-types/tendermint/crypto/keys';
import { Block } from 'cosmjs-types/tendermint/types/block';
import { ConsensusParams } from 'cosmjs-types/tendermint/types/params';
import { BlockID, Commit } from 'cosmjs-types/tendermint/types/types';
import { ValidatorSet, type Validator } from 'cosmjs-types/tendermint/types/validator';
import { registerError } from '../../types/errors';
import { txHash } from '../consensus/hashes';
import { findProposer, type NodeValidatorSet } from '../consensus/validatorSet';
import type { BlockStoreReader, NodeValidator, StoredBlock } from '../types';
import { blockEventMap, matchesValue, parseQuery, txEventMap, type Condition, type Query } from './query';

export const ErrBlockStore = registerError('blockstore', 2, 'block store inconsistency');
export const ErrInvalidPage = registerError('blockstore', 3, 'invalid page');
export const ErrSearchBudget = registerError('blockstore', 4, 'search too expensive');

const P_META = 0x6d; // 'm' {base,height}
const P_BLOCK = 0x62; // 'b' height -> block record
const P_HASH = 0x68; // 'h' block hash -> height
const P_RESULTS = 0x72; // 'r' height -> ResponseFinalizeBlock
const P_VALS = 0x76; // 'v' height -> ValidatorSet
const P_PARAMS = 0x70; // 'p' height -> ConsensusParams
const P_TX = 0x74; // 't' tx hash -> height, index
const P_TX_EVENT = 0x65; // 'e' key 0 value 0 height index
const P_BLOCK_EVENT = 0x66; // 'f' key 0 value 0 height
const P_ENGINE = 0x73; // 's' engine state
const P_PENDING = 0x71; // 'q' pending proposal

/**
 * Heights deleted per synced batch while pruning: a node that turns pruning on over a long
 * chain clears the backlog in bounded batches (each ~1000 x (block + results + indexes))
 * instead of one batch the size of the chain.
 */
const PRUNE_BATCH_HEIGHTS = 1000;

/** Largest page size served by searches (CometBFT's maxPerPage). */
export const MAX_PER_PAGE = 100;
export const DEFAULT_PER_PAGE = 30;

function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}
function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}
const key = (prefix: number, ...parts: Uint8Array[]): Buffer => Buffer.concat([Buffer.of(prefix), ...parts]);

/** What the engine writes for one height, atomically. */
export interface BlockCommitEntry {
  stored: StoredBlock;
  results: ResponseFinalizeBlock;
  /** Validator sets (with their proposer) to record, keyed by the height they sign. */
  validators: Array<{ height: number; set: NodeValidatorSet }>;
  /** Consensus params to record, keyed by the height they apply to. */
  params: Array<{ height: number; params: ConsensusParams }>;
  /** The engine's own state after this block (opaque here). */
  engineState: Uint8Array;
}

export interface SearchOptions {
  /** 1-based. */
  page?: number;
  perPage?: number;
  orderBy?: 'asc' | 'desc' | '';
  /** Stops the search when aborted (client gone, request budget spent). */
  signal?: AbortSignal;
}

export interface TxLocation {
  height: number;
  index: number;
}

const toProtoValidator = (v: NodeValidator): Validator => ({
  address: v.address,
  pubKey: PublicKey.fromPartial({ ed25519: v.pubKey }),
  votingPower: v.power,
  proposerPriority: v.proposerPriority,
});

/** A set as CometBFT's ValidatorSet proto, with its proposer (total_voting_power left 0, as CometBFT stores it). */
export function encodeValidators(set: NodeValidatorSet): Uint8Array {
  const proposer = set.validators.find((v) => Buffer.from(v.address).equals(Buffer.from(set.proposer)));
  if (proposer === undefined) throw ErrBlockStore.wrap('the proposer is not in its validator set');
  return ValidatorSet.encode(
    ValidatorSet.fromPartial({ validators: set.validators.map(toProtoValidator), proposer: toProtoValidator(proposer), totalVotingPower: 0n }),
  ).finish();
}

/** Decodes a stored set; one stored without a proposer gets the one with most priority (CometBFT's GetProposer). */
export function decodeValidators(bytes: Uint8Array): NodeValidatorSet {
  const vs = ValidatorSet.decode(bytes);
  const validators = vs.validators.map((v) => ({
    address: v.address,
    pubKey: v.pubKey.ed25519 ?? new Uint8Array(),
    power: v.votingPower,
    proposerPriority: v.proposerPriority,
  }));
  const stored = vs.proposer?.address;
  const proposer = stored !== undefined && stored.length > 0 ? stored : validators.length > 0 ? findProposer(validators).address : new Uint8Array();
  return { validators, proposer };
}

function encodeStored(s: StoredBlock): Buffer {
  const id = BlockID.encode(s.blockId).finish();
  const commit = Commit.encode(s.seenCommit).finish();
  const block = Block.encode(s.block).finish();
  return Buffer.concat([u32(id.length), id, u32(commit.length), commit, block]);
}

function decodeStored(b: Buffer): StoredBlock {
  const idLen = b.readUInt32BE(0);
  const blockId = BlockID.decode(b.subarray(4, 4 + idLen));
  const cOff = 4 + idLen;
  const cLen = b.readUInt32BE(cOff);
  const seenCommit = Commit.decode(b.subarray(cOff + 4, cOff + 4 + cLen));
  const blockBytes = b.subarray(cOff + 4 + cLen);
  return { block: Block.decode(blockBytes), blockId, seenCommit, size: blockBytes.length };
}

export class BlockStore implements BlockStoreReader {
  private baseHeight = 0;
  private lastHeight = 0;

  private constructor(
    private readonly db: ClassicLevel<Buffer, Buffer>,
    private readonly sync: boolean,
  ) {}

  /**
   * Opens (creating if needed) the store in `dir`. `sync: false` skips the fsync of each
   * height's batch: only for bulk loads that are thrown away on a crash (benchmarks).
   */
  static async open(dir: string, opts: { sync?: boolean } = {}): Promise<BlockStore> {
    const db = new ClassicLevel<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    await db.open();
    const store = new BlockStore(db, opts.sync ?? true);
    const meta = await db.get(Buffer.of(P_META));
    if (meta !== undefined) {
      const m = JSON.parse(meta.toString('utf8')) as { base: number; height: number };
      store.baseHeight = m.base;
      store.lastHeight = m.height;
    }
    return store;
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  base(): number {
    return this.baseHeight;
  }

  height(): number {
    return this.lastHeight;
  }

  async block(height: number): Promise<StoredBlock | undefined> {
    const b = await this.db.get(key(P_BLOCK, u64(height)));
    return b === undefined ? undefined : decodeStored(b);
  }

  async blockByHash(hash: Uint8Array): Promise<StoredBlock | undefined> {
    const h = await this.db.get(key(P_HASH, hash));
    return h === undefined ? undefined : this.block(Number(h.readBigUInt64BE(0)));
  }

  async results(height: number): Promise<ResponseFinalizeBlock | undefined> {
    const b = await this.db.get(key(P_RESULTS, u64(height)));
    return b === undefined ? undefined : ResponseFinalizeBlock.decode(b);
  }

  async validators(height: number): Promise<NodeValidator[] | undefined> {
    return (await this.validatorSet(height))?.validators;
  }

  /** The set that signs `height`, with the proposer of that height. */
  async validatorSet(height: number): Promise<NodeValidatorSet | undefined> {
    const b = await this.db.get(key(P_VALS, u64(height)));
    return b === undefined ? undefined : decodeValidators(b);
  }

  async consensusParams(height: number): Promise<ConsensusParams | undefined> {
    const b = await this.db.get(key(P_PARAMS, u64(height)));
    return b === undefined ? undefined : ConsensusParams.decode(b);
  }

  async txByHash(hash: Uint8Array): Promise<TxLocation | undefined> {
    const b = await this.db.get(key(P_TX, hash));
    return b === undefined ? undefined : { height: Number(b.readBigUInt64BE(0)), index: b.readUInt32BE(8) };
  }

  /** The tx at (height, index) with its result, if stored. */
  async tx(height: number, index: number): Promise<{ tx: Uint8Array; hash: Uint8Array; result: ResponseFinalizeBlock['txResults'][number] } | undefined> {
    const [stored, results] = await Promise.all([this.block(height), this.results(height)]);
    const tx = stored?.block.data.txs[index];
    const result = results?.txResults[index];
    if (tx === undefined || result === undefined) return undefined;
    return { tx, hash: txHash(tx), result };
  }

  async engineState(): Promise<Uint8Array | undefined> {
    return this.db.get(Buffer.of(P_ENGINE));
  }

  /** A proposal persisted before it is signed, so a restart re-uses the same block. */
  async pendingProposal(): Promise<Uint8Array | undefined> {
    return this.db.get(Buffer.of(P_PENDING));
  }

  async savePendingProposal(bytes: Uint8Array): Promise<void> {
    await this.db.put(Buffer.of(P_PENDING), Buffer.from(bytes), { sync: true });
  }

  /** Records validator sets / params known before any block (genesis), with the engine state. */
  async saveGenesis(validators: BlockCommitEntry['validators'], params: BlockCommitEntry['params'], engineState: Uint8Array): Promise<void> {
    const batch = this.db.batch();
    for (const v of validators) batch.put(key(P_VALS, u64(v.height)), Buffer.from(encodeValidators(v.set)));
    for (const p of params) batch.put(key(P_PARAMS, u64(p.height)), Buffer.from(ConsensusParams.encode(p.params).finish()));
    batch.put(Buffer.of(P_ENGINE), Buffer.from(engineState));
    await batch.write({ sync: true });
  }

  /** Stores a committed height and its indexes in one synced batch; heights must be consecutive. */
  async saveBlock(e: BlockCommitEntry): Promise<void> {
    const height = Number(e.stored.block.header.height);
    if (this.lastHeight !== 0 && height !== this.lastHeight + 1) {
      throw ErrBlockStore.wrap(`cannot store height ${height} after ${this.lastHeight}`);
    }
    const txs = e.stored.block.data.txs;
    if (e.results.txResults.length !== txs.length) {
      throw ErrBlockStore.wrap(`expected tx results length to match size of transactions in block (${e.results.txResults.length} != ${txs.length})`);
    }
    const h8 = u64(height);
    const batch = this.db.batch();
    batch.put(key(P_BLOCK, h8), encodeStored(e.stored));
    batch.put(key(P_HASH, e.stored.blockId.hash), h8);
    batch.put(key(P_RESULTS, h8), Buffer.from(ResponseFinalizeBlock.encode(e.results).finish()));
    for (const v of e.validators) batch.put(key(P_VALS, u64(v.height)), Buffer.from(encodeValidators(v.set)));
    for (const p of e.params) batch.put(key(P_PARAMS, u64(p.height)), Buffer.from(ConsensusParams.encode(p.params).finish()));
    for (const k of indexKeys(height, txs, e.results)) batch.put(k.key, k.value);
    const base = this.baseHeight === 0 ? height : this.baseHeight;
    batch.put(Buffer.of(P_META), Buffer.from(JSON.stringify({ base, height })));
    batch.put(Buffer.of(P_ENGINE), Buffer.from(e.engineState));
    batch.del(Buffer.of(P_PENDING));
    await batch.write({ sync: this.sync });
    this.baseHeight = base;
    this.lastHeight = height;
  }

  /**
   * Deletes every height below `retainHeight` (CometBFT's PruneBlocks): blocks, hashes,
   * results, tx and event index entries, and the validator sets and params of those heights
   * (the set of retainHeight - 1 stays: it signed the last commit of the lowest block). A
   * retain height at or below the base does nothing; one above the latest height is refused.
   * Returns the number of heights deleted. O(pruned heights x their txs).
   */
  async prune(retainHeight: number): Promise<number> {
    if (!Number.isSafeInteger(retainHeight) || retainHeight <= 0 || this.baseHeight === 0 || retainHeight <= this.baseHeight) return 0;
    if (retainHeight > this.lastHeight) {
      throw ErrBlockStore.wrap(`cannot prune beyond the latest height ${this.lastHeight}, retain height is ${retainHeight}`);
    }
    let pruned = 0;
    while (this.baseHeight < retainHeight) {
      const from = this.baseHeight;
      const to = Math.min(retainHeight, from + PRUNE_BATCH_HEIGHTS);
      const batch = this.db.batch();
      for (let h = from; h < to; h++) {
        const h8 = u64(h);
        const [stored, results] = await Promise.all([this.block(h), this.results(h)]);
        if (stored !== undefined && results !== undefined) {
          for (const k of indexKeys(h, stored.block.data.txs, results)) {
            // The same tx bytes included again later own the hash row now: leave it to them.
            if (k.key[0] === P_TX && !(await this.db.get(k.key))?.equals(k.value)) continue;
            batch.del(k.key);
          }
        }
        if (stored !== undefined) batch.del(key(P_HASH, stored.blockId.hash));
        batch.del(key(P_BLOCK, h8));
        batch.del(key(P_RESULTS, h8));
        batch.del(key(P_PARAMS, h8));
        // The set of h - 1 signed h's last commit: it goes with h, so the set of the new base - 1 stays.
        if (h > 1) batch.del(key(P_VALS, u64(h - 1)));
      }
      batch.put(Buffer.of(P_META), Buffer.from(JSON.stringify({ base: to, height: this.lastHeight })));
      // Readers see the new base before the rows go, so they answer "not available" rather than "not found".
      this.baseHeight = to;
      await batch.write({ sync: true });
      pruned += to - from;
    }
    return pruned;
  }

  /**
   * tx_search: matching txs ordered by (height, index), paged. A query with an equality
   * condition reads that condition's index range in order and checks the others per hit
   * (point lookups, or the height inside the hit's key), keeping only the requested page:
   * O(hits · log n) whatever the chain's length. Other queries intersect per-condition scans.
   * Either way the search stops with ErrSearchBudget after SEARCH_BUDGET_MS.
   */
  async txSearch(query: string | Query, opts: SearchOptions = {}): Promise<{ total: number; txs: TxLocation[] }> {
    const q = typeof query === 'string' ? parseQuery(query) : query;
    const { total, page } = await this.search(P_TX_EVENT, q, 12, 'Tx', 'tx.height', opts);
    return { total, txs: page.map((h) => ({ height: Number(h.readBigUInt64BE(0)), index: h.readUInt32BE(8) })) };
  }

  /** block_search: matching heights, paged (as txSearch). */
  async blockSearch(query: string | Query, opts: SearchOptions = {}): Promise<{ total: number; heights: number[] }> {
    const q = typeof query === 'string' ? parseQuery(query) : query;
    const { total, page } = await this.search(P_BLOCK_EVENT, q, 8, 'NewBlock', 'block.height', opts);
    return { total, heights: page.map((h) => Number(h.readBigUInt64BE(0))) };
  }

  /** Searches running now and those waiting for a slot (MAX_CONCURRENT_SEARCHES). */
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  private async search(
    prefix: number,
    q: Query,
    suffixLen: number,
    eventName: string,
    heightTag: string,
    opts: SearchOptions,
  ): Promise<{ total: number; page: Buffer[] }> {
    // A few searches at a time: each may hold the hits of a broad condition (up to
    // MAX_SEARCH_ENTRIES), so 100 concurrent ones must not hold 100 such sets.
    while (this.running >= MAX_CONCURRENT_SEARCHES) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
      if (opts.signal?.aborted) throw ErrSearchBudget.wrap('the request was cancelled while waiting for a search slot');
    }
    this.running++;
    try {
      return await this.searchNow(prefix, q, suffixLen, eventName, heightTag, opts);
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  private async searchNow(
    prefix: number,
    q: Query,
    suffixLen: number,
    eventName: string,
    heightTag: string,
    opts: SearchOptions,
  ): Promise<{ total: number; page: Buffer[] }> {
    const budget = new SearchBudget(opts.signal);
    const perPage = Math.min(Math.max(opts.perPage ?? DEFAULT_PER_PAGE, 1), MAX_PER_PAGE);
    const pageNo = opts.page ?? 1;
    if (!Number.isInteger(pageNo) || pageNo < 1) throw ErrInvalidPage.wrap(`page should be within [1, ∞) range, given ${pageNo}`);
    const desc = opts.orderBy === 'desc';
    const conds: Condition[] = [];
    for (const c of q.conditions) {
      // tm.event selects the kind of event; an indexer of one kind matches or matches nothing.
      if (c.tag === 'tm.event') {
        if (c.op === 'EXISTS' || (c.operand?.kind === 'string' && c.op === '=' && c.operand.value === eventName)) continue;
        return { total: 0, page: [] };
      }
      conds.push(c);
    }
    const heightConds = conds.filter((c) => c.tag === heightTag);
    const heightOk = (loc: Buffer) => heightConds.every((c) => matchesValue(c, String(loc.readBigUInt64BE(0))));
    const rest = conds.filter((c) => c.tag !== heightTag);

    // The driver: the first exact condition (its index range is already in location order).
    let driver: Buffer | undefined;
    let driverSet: Buffer[] | undefined;
    const hashCond = rest.find((c) => c.tag === 'tx.hash' && c.op === '=' && c.operand?.kind === 'string');
    if (prefix === P_TX_EVENT && hashCond?.operand !== undefined) {
      const hex = String(hashCond.operand.value);
      const loc = /^[0-9A-Fa-f]{64}$/.test(hex) ? await this.db.get(key(P_TX, Buffer.from(hex, 'hex'))) : undefined;
      driverSet = loc === undefined ? [] : [loc];
    } else {
      const exact = rest.find((c) => c.op === '=' && c.operand?.kind === 'string');
      if (exact !== undefined) driver = exactPrefix(prefix, exact);
    }
    const others = rest.filter((c) => !(driver !== undefined && c === rest.find((x) => x.op === '=' && x.operand?.kind === 'string')));
    const pointConds = others.filter((c) => c.op === '=' && c.operand?.kind === 'string');
    const scanConds = others.filter((c) => !pointConds.includes(c));

    if (driver === undefined && driverSet === undefined) {
      if (scanConds.length === 0 && pointConds.length === 0 && prefix === P_BLOCK_EVENT) {
        // Only block.height bounds: the heights themselves, no index read.
        driverSet = [];
        for (let h = this.base(); h <= this.height(); h++) {
          budget.tick();
          const loc = u64(h);
          if (heightOk(loc)) driverSet.push(loc);
        }
      } else {
        // No exact condition: intersect the scans of each condition (bounded by the budget).
        const first = scanConds.length > 0 ? scanConds : [{ tag: heightTag, op: 'EXISTS' as const }];
        let acc: Set<string> | undefined;
        for (const c of first) {
          const found = await this.scanCondition(prefix, c, suffixLen, budget);
          acc = acc === undefined ? found : new Set([...acc].filter((x) => found.has(x)));
          if (acc.size === 0) break;
        }
        driverSet = [...(acc ?? [])].sort().map((h) => Buffer.from(h, 'hex'));
        scanConds.length = 0;
      }
      if (desc) driverSet.reverse();
    }
    const filters = await Promise.all(scanConds.map((c) => this.scanCondition(prefix, c, suffixLen, budget)));

    const from = (pageNo - 1) * perPage;
    const page: Buffer[] = [];
    let total = 0;
    const consider = async (loc: Buffer): Promise<void> => {
      budget.tick();
      if (!heightOk(loc)) return;
      for (const c of pointConds) {
        if ((await this.db.get(Buffer.concat([exactPrefix(prefix, c), loc]))) === undefined) return;
      }
      if (filters.length > 0) {
        const hex = loc.toString('hex');
        if (!filters.every((f) => f.has(hex))) return;
      }
      if (total >= from && page.length < perPage) page.push(Buffer.from(loc));
      total++;
    };
    if (driverSet !== undefined) {
      for (const loc of driverSet) await consider(loc);
    } else if (driver !== undefined) {
      for await (const k of this.db.keys({ gte: driver, lt: prefixEnd(driver), reverse: desc })) {
        if (k.length !== driver.length + suffixLen) continue; // a longer value sharing this prefix
        await consider(k.subarray(driver.length));
      }
    }
    const pages = Math.max(1, Math.ceil(total / perPage));
    if (pageNo > pages) throw ErrInvalidPage.wrap(`page should be within [1, ${pages}] range, given ${pageNo}`);
    return { total, page };
  }

  private async scanCondition(prefix: number, c: Condition, suffixLen: number, budget: SearchBudget): Promise<Set<string>> {
    const tagPrefix = key(prefix, Buffer.from(c.tag), Buffer.of(0));
    const out = new Set<string>();
    for await (const k of this.db.keys({ gte: tagPrefix, lt: prefixEnd(tagPrefix) })) {
      budget.tick();
      const value = k.subarray(tagPrefix.length, k.length - suffixLen - 1).toString('utf8');
      if (matchesValue(c, value)) out.add(k.subarray(k.length - suffixLen).toString('hex'));
    }
    return out;
  }
}

/** Longest a search may run (CometBFT has no bound; 100 concurrent unbounded searches held a node at 100 % CPU for minutes). */
export const SEARCH_BUDGET_MS = 5_000;
/** Index entries read between budget checks. */
const BUDGET_CHECK_EVERY = 1024;
/** Most index entries one search reads (a broad condition's hits are held as a set: ~16 MB at this count). */
export const MAX_SEARCH_ENTRIES = 200_000;
/** Searches run at once per store; more wait for a slot. */
export const MAX_CONCURRENT_SEARCHES = 4;

class SearchBudget {
  private readonly deadline = performance.now() + SEARCH_BUDGET_MS;
  private n = 0;
  constructor(private readonly signal?: AbortSignal) {}
  tick(): void {
    if (++this.n % BUDGET_CHECK_EVERY !== 0) return;
    if (this.n > MAX_SEARCH_ENTRIES) {
      throw ErrSearchBudget.wrap(`search read more than ${MAX_SEARCH_ENTRIES} index entries; narrow the query (an equality condition, or tx.height bounds)`);
    }
    if (this.signal?.aborted) throw ErrSearchBudget.wrap('the request was cancelled');
    if (performance.now() > this.deadline) {
      throw ErrSearchBudget.wrap(`search ran longer than ${SEARCH_BUDGET_MS} ms; narrow the query (an equality condition, or tx.height bounds)`);
    }
  }
}

/** The index key prefix of `tag = 'value'` (every location of that exact value follows it). */
function exactPrefix(prefix: number, c: Condition): Buffer {
  const value = c.operand?.kind === 'string' ? c.operand.value : '';
  return key(prefix, Buffer.from(c.tag), Buffer.of(0), Buffer.from(value), Buffer.of(0));
}

/** The index rows of one height (tx hash -> location, tx and block event entries): written on save, deleted on prune. */
function indexKeys(height: number, txs: readonly Uint8Array[], results: ResponseFinalizeBlock): Array<{ key: Buffer; value: Buffer }> {
  const out: Array<{ key: Buffer; value: Buffer }> = [];
  const h8 = u64(height);
  txs.forEach((tx, i) => {
    const loc = Buffer.concat([h8, u32(i)]);
    const hash = txHash(tx);
    out.push({ key: key(P_TX, hash), value: loc });
    const result = results.txResults[i];
    if (result !== undefined) eventKeys(out, P_TX_EVENT, txEventMap(height, hash, result.events, { indexedOnly: true }), loc);
  });
  eventKeys(out, P_BLOCK_EVENT, blockEventMap(height, results.events as Event[], { indexedOnly: true }), h8);
  return out;
}

function eventKeys(out: Array<{ key: Buffer; value: Buffer }>, prefix: number, events: Record<string, string[]>, loc: Buffer): void {
  for (const [tag, values] of Object.entries(events)) {
    if (tag === 'tm.event' || tag.includes('\0')) continue;
    for (const v of values) out.push({ key: key(prefix, Buffer.from(tag), Buffer.of(0), Buffer.from(v), Buffer.of(0), loc), value: Buffer.alloc(0) });
  }
}

/** The smallest key greater than every key starting with `p`. */
function prefixEnd(p: Buffer): Buffer {
  const end = Buffer.from(p);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i] < 0xff) {
      end[i]++;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.alloc(0);
}
