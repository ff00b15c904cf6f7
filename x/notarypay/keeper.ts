/**
 * The x/notarypay keeper: notary eras, payout bindings, the notarization record, the
 * recent-block records the queries measure from, and the notarization rules themselves
 * (`checkNotarization`), which PrepareProposal, ProcessProposal and FinalizeBlock share.
 *
 * No cache: every read goes to the context's store branch.
 */
import type { Context, Timestamp } from '../../runtime/context';
import { accAddressFromSecp256k1, addressToBech32 } from '../../crypto/address';
import { ripemd160, sha256 } from '../../crypto/hash';
import { verifySecp256k1 } from '../../crypto/secp256k1';
import { BlockRecord, Era, FundingMode, NotarizationState, Params } from '../../proto/gen/sekai/notarypay/v1/notarypay';
import type { MsgNotarize } from '../../proto/gen/sekai/notarypay/v1/tx';
import { Coins } from '../../types/coins';
import { notarizationDigest } from './signDoc';
import {
  ErrDuplicateSigner,
  ErrEraGap,
  ErrFundingExhausted,
  ErrFutureHeight,
  ErrInvalidEra,
  ErrInvalidNotarization,
  ErrInvalidNotarySignature,
  ErrNoEra,
  ErrNotANotary,
  ErrNotCurrentNotary,
  ErrNotarizationPosition,
  ErrPubkeyAlreadySet,
  ErrStaleHeight,
  ErrTooFewSignatures,
  ErrTooManyNotarizations,
  ErrUnknownAppHash,
  ErrWrongAppHash,
} from './types/errors';
import type { CommitInfoSource, NotaryAccountKeeper, NotaryBankKeeper, StoreReader } from './types/expectedKeepers';
import { NotaryPayEvents } from './types/events';
import { MODULE_ACCOUNT, STORE_KEY, State } from './types/keys';

/** Komodo's STAKED_ERA_GAP: seconds after an era change during which notarizations are refused. */
export const DEFAULT_ERA_GAP_SECONDS = 777n;
/**
 * Recent blocks whose time, proposer and AppHash are kept: bounds how old a notarized
 * height may be and how deep `proposer-tally` looks. 10 000 blocks is ~14 h at 5 s
 * blocks, far beyond a notarization every few blocks; each record is ~70 bytes.
 */
export const DEFAULT_BLOCK_RECORD_WINDOW = 10_000n;
/** Blocks per notarization assumed until two notarizations measure it (Komodo assumes 5). */
export const DEFAULT_BLOCKS_PER_NOTARIZATION = 5n;

/**
 * minsigs of a notary set of n: floor(n/5) as Komodo counts it, but at least 1, so that a
 * set of fewer than five notaries still needs one real notary signature.
 */
export function minSigs(notaries: number): number {
  return Math.max(1, Number(BigInt(notaries) / 5n));
}

/**
 * The compressed "public key" 0x02 ‖ 32 zero bytes, Komodo's burn pubkey. x = 0 is not on
 * secp256k1 (7 is not a square mod p), so no private key exists and nothing sent to its
 * address can ever move.
 */
export const BURN_PUBKEY = (() => {
  const k = new Uint8Array(33);
  k[0] = 2;
  return k;
})();

/** The notary-pay burn address: funds sent here count as burn-funded notary pay. */
export const BURN_ADDRESS = addressToBech32('account', ripemd160(sha256(BURN_PUBKEY)));

export function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);
}

/** The bech32 address a notary key signs txs under. */
export function notaryAddress(pubKey: Uint8Array): string {
  return addressToBech32('account', accAddressFromSecp256k1(pubKey));
}

/** A notarization that passed every rule, with what it pays. */
export interface CheckedNotarization {
  era: Era;
  signers: Uint8Array[];
  perSigner: bigint;
  /** perSigner × signers: what is minted (the division's remainder is not). */
  total: bigint;
}

const DEFAULT_PARAMS: Params = {
  denom: 'ukex',
  funding: FundingMode.FUNDING_MODE_EMISSION,
  eraGapSeconds: DEFAULT_ERA_GAP_SECONDS,
  blockRecordWindow: DEFAULT_BLOCK_RECORD_WINDOW,
};

export function defaultParams(): Params {
  return { ...DEFAULT_PARAMS };
}

function emptyState(): NotarizationState {
  return NotarizationState.fromPartial({ totalPay: '0', lastPayPerSigner: '0' });
}

/** Checks an era's own fields (not its place in the list). */
export function validateEra(era: Era): void {
  if (era.notaries.length === 0) throw ErrInvalidEra.wrap(`era ${era.index}: no notaries`);
  if (!/^(0|[1-9][0-9]{0,76})$/.test(era.pay)) throw ErrInvalidEra.wrap(`era ${era.index}: pay ${JSON.stringify(era.pay)} is not a decimal integer`);
  const names = new Set<string>();
  const keys = new Set<string>();
  era.notaries.forEach((n, i) => {
    if (n.name.trim() === '') throw ErrInvalidEra.wrap(`era ${era.index}: notary ${i} has no name`);
    if (names.has(n.name)) throw ErrInvalidEra.wrap(`era ${era.index}: notary name ${n.name} is listed twice`);
    names.add(n.name);
    if (n.pubKey.length !== 33 || (n.pubKey[0] !== 2 && n.pubKey[0] !== 3)) {
      throw ErrInvalidEra.wrap(`era ${era.index}: notary ${n.name}: public key must be 33 bytes, compressed secp256k1`);
    }
    const k = hex(n.pubKey);
    if (keys.has(k)) throw ErrInvalidEra.wrap(`era ${era.index}: key of ${n.name} is listed twice`);
    keys.add(k);
  });
}

function nanos(t: Timestamp): bigint {
  return t.seconds * 1_000_000_000n + BigInt(t.nanos);
}

export interface NotaryPayKeeperDeps {
  accounts: NotaryAccountKeeper;
  bank: NotaryBankKeeper;
  /** The last commit's AppHash source; the app sets it once the store is open (`setCommitSource`). */
  commits?: CommitInfoSource;
}

export class NotaryPayKeeper {
  readonly storeKey = STORE_KEY;
  private commits?: CommitInfoSource;
  readonly accounts: NotaryAccountKeeper;
  readonly bank: NotaryBankKeeper;

  constructor(deps: NotaryPayKeeperDeps) {
    this.accounts = deps.accounts;
    this.bank = deps.bank;
    this.commits = deps.commits;
  }

  /** Wires the multistore once it exists (app/app.ts builds keepers before the store). */
  setCommitSource(commits: CommitInfoSource): void {
    this.commits = commits;
  }

  // ------------------------------------------------------------------ params and eras

  params(ctx: StoreReader): Params {
    return State.params.get(ctx) ?? defaultParams();
  }

  setParams(ctx: Context, p: Params): void {
    State.params.set(ctx, p);
  }

  era(ctx: StoreReader, index: number): Era | undefined {
    return State.eras.get(ctx, index);
  }

  /** Every era, in index (= start time) order. */
  eras(ctx: StoreReader): Era[] {
    return [...State.eras.values(ctx)];
  }

  lastEra(ctx: StoreReader): Era | undefined {
    for (const era of State.eras.values(ctx, { reverse: true })) return era;
    return undefined;
  }

  /**
   * Appends an era: its index must follow the last one and it must start after the last
   * one starts (a proposal additionally requires a start in the future).
   */
  appendEra(ctx: Context, era: Era): void {
    validateEra(era);
    const last = this.lastEra(ctx);
    const expected = (last?.index ?? 0) + 1;
    if (era.index !== expected) throw ErrInvalidEra.wrap(`era index ${era.index}, expected ${expected}`);
    if (last && era.startTime <= last.startTime) {
      throw ErrInvalidEra.wrap(`era ${era.index} starts at ${era.startTime}, not after era ${last.index} (${last.startTime})`);
    }
    State.eras.set(ctx, era.index, era);
  }

  /** The era in force at a block time, and whether the time falls in its gap; undefined before the first era. */
  eraAt(ctx: StoreReader, time: Timestamp): { era: Era; inGap: boolean; gapEnds: bigint } | undefined {
    const gap = this.params(ctx).eraGapSeconds;
    // Latest eras first: the current one is almost always the last or the one before.
    for (const era of State.eras.values(ctx, { reverse: true })) {
      if (era.startTime <= time.seconds) {
        const gapEnds = era.startTime + BigInt(gap);
        // The first era follows no change, so it has no gap.
        return { era, inGap: era.index > 1 && time.seconds < gapEnds, gapEnds };
      }
    }
    return undefined;
  }

  // ------------------------------------------------------------------ payouts

  payoutBinding(ctx: StoreReader, pubKey: Uint8Array): bigint | undefined {
    return State.payouts.get(ctx, pubKey);
  }

  /** Every bound payout, by public key order. */
  payoutBindings(ctx: StoreReader): { pubKey: Uint8Array; id: bigint }[] {
    return [...State.payouts.entries(ctx)].map(([pubKey, id]) => ({ pubKey, id }));
  }

  /** Address that receives a notary's pay: its bound payout account, else its own key's address. */
  payoutAddress(ctx: StoreReader, pubKey: Uint8Array): string {
    const bound = this.payoutBinding(ctx, pubKey);
    return bound === undefined ? notaryAddress(pubKey) : this.accounts.addressOf(ctx, bound);
  }

  /** Binds (or, for governance and genesis, rebinds) the payout account of a notary key. */
  bindPayout(ctx: Context, pubKey: Uint8Array, payoutRef: string): bigint {
    const id = this.accounts.resolveOrCreate(ctx, payoutRef);
    State.payouts.set(ctx, pubKey, id);
    ctx.events.emit(NotaryPayEvents.payout, [
      ['pubkey', hex(pubKey)],
      ['payout', this.accounts.addressOf(ctx, id)],
    ]);
    return id;
  }

  /** The notary key whose address is `address`, searching every era (newest first). */
  notaryByAddress(ctx: StoreReader, address: string): { name: string; pubKey: Uint8Array; era: number } | undefined {
    for (const era of State.eras.values(ctx, { reverse: true })) {
      for (const n of era.notaries) if (notaryAddress(n.pubKey) === address) return { name: n.name, pubKey: n.pubKey, era: era.index };
    }
    return undefined;
  }

  /**
   * MsgSetPubkey: the notary whose key signed (`sender`) binds its payout account, once.
   * Returns the notary's name when it belongs to the current or a future era.
   */
  setPubkey(ctx: Context, sender: string, payoutRef: string): { pubKey: Uint8Array; payout: string; isNotary: string } {
    const notary = this.notaryByAddress(ctx, sender);
    if (!notary) throw ErrNotANotary.wrap(`${sender} is the address of no notary key in any era`);
    if (this.payoutBinding(ctx, notary.pubKey) !== undefined) {
      throw ErrPubkeyAlreadySet.wrap(`notary ${notary.name} already bound its payout account; a governance proposal can rebind it`);
    }
    const id = this.bindPayout(ctx, notary.pubKey, payoutRef);
    const current = this.eraAt(ctx, ctx.time)?.era.index ?? 0;
    return { pubKey: notary.pubKey, payout: this.accounts.addressOf(ctx, id), isNotary: notary.era >= current ? notary.name : '' };
  }

  // ------------------------------------------------------------------ notarization state

  state(ctx: StoreReader): NotarizationState {
    return State.state.get(ctx) ?? emptyState();
  }

  setState(ctx: Context, s: NotarizationState): void {
    State.state.set(ctx, s);
  }

  /** Balance of the burn address in the pay denom (0 until something is sent there). */
  burnBalance(ctx: StoreReader): bigint {
    const id = this.accounts.tryResolve(ctx, BURN_ADDRESS);
    return id === undefined ? 0n : this.bank.balance(ctx, id, this.params(ctx).denom);
  }

  /**
   * Komodo's `spent` (received ≠ balance), judged from state: coins leave an account only
   * by a tx it signs, so the burn address has spent once its account has a signed tx
   * (sequence above 0), or, on a burn-funded chain, once it holds less than the pay
   * already counted against it. Neither can happen while no key for it exists.
   */
  burnSpent(ctx: StoreReader): boolean {
    const id = this.accounts.tryResolve(ctx, BURN_ADDRESS);
    const signed = id !== undefined && (this.accounts.get(ctx, id)?.sequence ?? 0n) > 0n;
    const burnFunded = this.params(ctx).funding === FundingMode.FUNDING_MODE_BURN_FUNDED;
    return signed || (burnFunded && this.burnBalance(ctx) < BigInt(this.state(ctx).totalPay));
  }

  /**
   * The AppHash the chain committed at `height`. Heights up to H-2 are in state (recorded
   * by the begin-block hook of the next block); H-1, the last committed block, comes from
   * the commit source while block H is being proposed, before its begin-block runs.
   */
  appHashAt(ctx: StoreReader & { height: number }, height: number): Uint8Array | undefined {
    const recorded = State.appHashes.get(ctx, height);
    if (recorded) return recorded;
    const last = this.commits?.lastCommitId();
    if (last && last.version === height && height === ctx.height - 1 && State.blocks.has(ctx, height)) return last.hash;
    return undefined;
  }

  // ------------------------------------------------------------------ block hook

  /**
   * Begin block of H: records the AppHash of H-1 (the multistore's last commit, i.e. the
   * app_hash in H's header), H's time and proposer, prunes the records that fall out of
   * the window, and notes the first height of an era that has just started.
   */
  beginBlock(ctx: Context): void {
    const h = ctx.height;
    const last = this.commits?.lastCommitId();
    // Only for a block this chain executed (not the initial version before the first block).
    if (last && last.version === h - 1 && State.blocks.has(ctx, h - 1)) State.appHashes.set(ctx, h - 1, last.hash);
    State.blocks.set(ctx, h, { timeSeconds: ctx.time.seconds, timeNanos: ctx.time.nanos, proposer: Buffer.from(ctx.block.proposer) });
    const window = this.params(ctx).blockRecordWindow;
    if (BigInt(h) > window) {
      const old = h - Number(window);
      State.blocks.delete(ctx, old);
      State.appHashes.delete(ctx, old);
    }
    let cur = State.timeEra.get(ctx) ?? 0;
    const start = cur;
    for (;;) {
      const next = this.era(ctx, cur + 1);
      if (!next || next.startTime > ctx.time.seconds) break;
      cur += 1;
      State.eraStarts.set(ctx, cur, BigInt(h));
    }
    if (cur !== start) State.timeEra.set(ctx, cur);
  }

  /** Genesis: the first height of an era that had started when the state was exported. */
  setEraStartHeight(ctx: Context, index: number, height: bigint): void {
    State.eraStarts.set(ctx, index, height);
  }

  /** Genesis: the index of the era the last block's time fell in. */
  setTimeEra(ctx: Context, index: number): void {
    State.timeEra.set(ctx, index);
  }

  /** The recorded blocks from `from` to `to` inclusive, in height order. */
  *blockRecords(ctx: StoreReader, from: number, to: number): IterableIterator<BlockRecord> {
    yield* State.blocks.values(ctx, { start: from, end: to + 1 });
  }

  eraStartHeight(ctx: StoreReader, index: number): bigint {
    return State.eraStarts.get(ctx, index) ?? 0n;
  }

  blockRecord(ctx: StoreReader, height: number): BlockRecord | undefined {
    return State.blocks.get(ctx, height);
  }

  // ------------------------------------------------------------------ the rules

  /**
   * Every rule a notarization must pass in the block `ctx` describes, in a fixed order so
   * that each refusal names its first broken rule: era and gap, height, AppHash, then each
   * signature (duplicate, membership, validity), minsigs, the transfer cap and funding.
   * Pure: reads only.
   */
  checkNotarization(ctx: Context, msg: MsgNotarize): CheckedNotarization {
    if (msg.signatures.length === 0) throw ErrInvalidNotarization.wrap('no signatures');
    if (msg.appHash.length !== 32) throw ErrInvalidNotarization.wrap(`app hash is ${msg.appHash.length} bytes, expected 32`);
    const at = this.eraAt(ctx, ctx.time);
    if (!at) throw ErrNoEra.wrap(`block time ${ctx.time.seconds} is before the first era`);
    const { era } = at;
    if (at.inGap) throw ErrEraGap.wrap(`era ${era.index} started at ${era.startTime}; notarizations resume at ${at.gapEnds}`);

    const state = this.state(ctx);
    const height = msg.height;
    if (height <= state.lastNotarizedHeight) throw ErrStaleHeight.wrap(`height ${height}, last notarized ${state.lastNotarizedHeight}`);
    if (height > BigInt(ctx.height - 1)) throw ErrFutureHeight.wrap(`height ${height} in block ${ctx.height}`);
    const chainHash = this.appHashAt(ctx, Number(height));
    if (!chainHash) throw ErrUnknownAppHash.wrap(`height ${height} is outside the last ${this.params(ctx).blockRecordWindow} blocks`);
    if (!sameBytes(chainHash, msg.appHash)) throw ErrWrongAppHash.wrap(`height ${height}: signed ${hex(msg.appHash)}, chain has ${hex(chainHash)}`);

    const members = new Map(era.notaries.map((n) => [hex(n.pubKey), n.name]));
    const digest = notarizationDigest(ctx.chainId, height, msg.appHash);
    const seen = new Set<string>();
    const signers: Uint8Array[] = [];
    msg.signatures.forEach((s, i) => {
      const k = hex(s.pubKey);
      if (seen.has(k)) throw ErrDuplicateSigner.wrap(`signature ${i}: ${members.get(k) ?? k} signed twice`);
      seen.add(k);
      if (!members.has(k)) {
        const other = this.eras(ctx).find((e) => e.notaries.some((n) => sameBytes(n.pubKey, s.pubKey)));
        const where = other ? `a notary of era ${other.index}` : 'no notary';
        throw ErrNotCurrentNotary.wrap(`signature ${i}: key ${k} is ${where}, the current era is ${era.index}`);
      }
      if (s.signature.length !== 64 || !verifySecp256k1(s.pubKey, digest, s.signature)) {
        throw ErrInvalidNotarySignature.wrap(`signature ${i} by ${members.get(k)}`);
      }
      signers.push(s.pubKey);
    });
    const need = minSigs(era.notaries.length);
    if (signers.length < need) throw ErrTooFewSignatures.wrap(`${signers.length} signatures, era ${era.index} of ${era.notaries.length} notaries needs ${need}`);

    const pay = BigInt(era.pay);
    const perSigner = pay / BigInt(signers.length);
    const total = perSigner * BigInt(signers.length);
    const params = this.params(ctx);
    if (perSigner > 0n) this.bank.checkSendCap(ctx, Coins.from([{ denom: params.denom, amount: perSigner }]));
    if (params.funding === FundingMode.FUNDING_MODE_BURN_FUNDED) {
      const burned = this.burnBalance(ctx);
      const after = BigInt(state.totalPay) + total;
      if (after > burned) {
        throw ErrFundingExhausted.wrap(
          `notary pay so far ${state.totalPay}${params.denom} plus ${total}${params.denom} exceeds the ${burned}${params.denom} burned; ` +
            `send at least ${after - burned}${params.denom} more to ${BURN_ADDRESS}`,
        );
      }
    }
    return { era, signers, perSigner, total };
  }

  /**
   * Executes a notarization: at most one per block (checked again here, so a block that
   * slipped past ProcessProposal cannot pay twice), every rule of `checkNotarization`,
   * then pays each signer in signer order and records the checkpoint.
   */
  notarize(ctx: Context, msg: MsgNotarize): CheckedNotarization {
    // FinalizeBlock tells the handler where the tx sits; a block that put a notarization
    // anywhere but first (ProcessProposal rejects those) still cannot pay it.
    if (ctx.txIndex !== undefined && ctx.txIndex !== 0) throw ErrNotarizationPosition.wrap(`notarization at index ${ctx.txIndex}`);
    const state = this.state(ctx);
    if (state.lastNotarizationBlock === BigInt(ctx.height) && state.notarizations > 0n) {
      throw ErrTooManyNotarizations.wrap(`block ${ctx.height} already paid a notarization`);
    }
    const checked = this.checkNotarization(ctx, msg);
    const { denom } = this.params(ctx);
    if (checked.total > 0n) {
      this.bank.mintCoins(ctx, MODULE_ACCOUNT, Coins.from([{ denom, amount: checked.total }]));
      const each = Coins.from([{ denom, amount: checked.perSigner }]);
      for (const pk of checked.signers) {
        const bound = this.payoutBinding(ctx, pk);
        const to = bound ?? this.accounts.resolveOrCreate(ctx, notaryAddress(pk));
        this.bank.sendCoinsFromModuleToAccount(ctx, MODULE_ACCOUNT, to, each);
      }
    }
    const block = BigInt(ctx.height);
    this.setState(ctx, {
      lastNotarizedHeight: msg.height,
      lastNotarizedAppHash: msg.appHash,
      lastNotarizationBlock: block,
      totalPay: (BigInt(state.totalPay) + checked.total).toString(),
      notarizations: state.notarizations + 1n,
      lastEra: checked.era.index,
      lastSigners: checked.signers.map((s) => Buffer.from(s)),
      lastPayPerSigner: checked.perSigner.toString(),
      firstNotarizationBlock: state.notarizations === 0n ? block : state.firstNotarizationBlock,
    });
    ctx.events.emit(NotaryPayEvents.notarization, [
      ['height', msg.height.toString()],
      ['app_hash', hex(msg.appHash)],
      ['era', String(checked.era.index)],
      ['signers', String(checked.signers.length)],
      ['pay_per_signer', `${checked.perSigner}${denom}`],
    ]);
    return checked;
  }

  /** Measured mean block interval over the recorded window, in ms (0 with fewer than two records). */
  blockIntervalMs(ctx: StoreReader, height: number): bigint {
    const lastRec = this.blockRecord(ctx, height);
    if (!lastRec) return 0n;
    const window = Number(this.params(ctx).blockRecordWindow);
    for (const [firstHeight, first] of State.blocks.entries(ctx, { start: Math.max(1, height - window + 1), end: height + 1 })) {
      if (firstHeight >= height) return 0n;
      const span = nanos({ seconds: lastRec.timeSeconds, nanos: lastRec.timeNanos }) - nanos({ seconds: first.timeSeconds, nanos: first.timeNanos });
      return span / 1_000_000n / BigInt(height - firstHeight);
    }
    return 0n;
  }
}
