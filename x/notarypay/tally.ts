/**
 * The per-notary tally (`query notarypay notary-tally`): how many notarizations each notary
 * signed and the pay they earned, Komodo's `getnotarysendmany` seen as history and counted
 * like `getlastsegidstakes`. It is computed when asked from records the chain keeps anyway:
 * the notarization txs the node indexes (each MsgNotarize names its signers, and the
 * `notarization` event of an accepted one its era and pay per signer) and the eras in
 * state. No state is added for it, so it changes no AppHash.
 */
import { TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { Era } from '../../proto/gen/sekai/notarypay/v1/notarypay';
import { MsgNotarize } from '../../proto/gen/sekai/notarypay/v1/tx';
import { hex } from './keeper';
import { NotaryPayTypeUrls } from './msgServer';
import { NotaryPayEvents } from './types/events';

/** One accepted notarization, as the tally reads it. */
export interface NotarizationRecord {
  /** Height of the block that carried it. */
  block: number;
  /** The notarized height. */
  height: bigint;
  era: number;
  /** Signer keys (compressed secp256k1, hex), in pay order. */
  signers: string[];
  payPerSigner: bigint;
}

/** One notary of one era: what it signed and earned. Every notary appears, 0 when it never signed. */
export interface NotaryTallyEntry {
  era: number;
  name: string;
  pubkey: string;
  /** Where its pay goes now: the bound payout account, else its own key's address. */
  payout: string;
  notarizations: string;
  pay: string;
  /** Notarized height of its latest signature; 0 when none. */
  last_notarized_height: string;
}

export interface NotaryTally {
  from_height: string;
  to_height: string;
  denom: string;
  notarizations: string;
  total_pay: string;
  notaries: NotaryTallyEntry[];
}

/** A tx as CometBFT's tx_search returns it (events as plain strings, v0.38). */
export interface SearchedTx {
  height: string;
  tx: string;
  tx_result: { code: number; events?: { type: string; attributes?: { key: string; value: string }[] }[] };
}

/**
 * The accepted notarization of a searched tx: its MsgNotarize's signers with the era and
 * pay its `notarization` event reports; undefined for a failed tx or any other tx.
 */
export function notarizationOf(t: SearchedTx): NotarizationRecord | undefined {
  if (t.tx_result.code !== 0) return undefined;
  const ev = (t.tx_result.events ?? []).find((e) => e.type === NotaryPayEvents.notarization);
  if (!ev) return undefined;
  const attr = (k: string) => ev.attributes?.find((a) => a.key === k)?.value ?? '';
  const body = TxBody.decode(TxRaw.decode(Buffer.from(t.tx, 'base64')).bodyBytes);
  const msg = body.messages.find((m) => m.typeUrl === NotaryPayTypeUrls.notarize);
  if (!msg) return undefined;
  const n = MsgNotarize.decode(msg.value);
  const pay = /^(\d+)/.exec(attr('pay_per_signer'));
  return {
    block: Number(t.height),
    height: n.height,
    era: Number(attr('era')),
    signers: n.signatures.map((s) => hex(s.pubKey)),
    payPerSigner: pay ? BigInt(pay[1]) : 0n,
  };
}

/** Tallies `records` over every notary of `eras` (era order, then the era's notary order). */
export function tallyNotaries(
  eras: readonly Era[],
  payoutOf: (pubKey: Uint8Array) => string,
  records: readonly NotarizationRecord[],
  range: { from: number; to: number; denom: string },
): NotaryTally {
  const entries = new Map<string, { entry: NotaryTallyEntry; count: bigint; pay: bigint; last: bigint }>();
  const keyOf = (era: number, pubkey: string) => `${era}/${pubkey}`;
  for (const e of eras) {
    for (const n of e.notaries) {
      const pubkey = hex(n.pubKey);
      const entry = { era: e.index, name: n.name, pubkey, payout: payoutOf(n.pubKey), notarizations: '0', pay: '0', last_notarized_height: '0' };
      entries.set(keyOf(e.index, pubkey), { entry, count: 0n, pay: 0n, last: 0n });
    }
  }
  let total = 0n;
  for (const r of records) {
    for (const s of r.signers) {
      total += r.payPerSigner;
      const t = entries.get(keyOf(r.era, s));
      // A signer always belongs to the era it was accepted in; eras are never removed.
      if (!t) continue;
      t.count += 1n;
      t.pay += r.payPerSigner;
      if (r.height > t.last) t.last = r.height;
    }
  }
  const notaries: NotaryTallyEntry[] = [];
  // eslint-disable-next-line determinism/no-unordered-iteration -- a Map keeps insertion order: eras, then their notaries
  for (const t of entries.values()) {
    notaries.push({ ...t.entry, notarizations: t.count.toString(), pay: t.pay.toString(), last_notarized_height: t.last.toString() });
  }
  return {
    from_height: String(range.from),
    to_height: String(range.to),
    denom: range.denom,
    notarizations: String(records.length),
    total_pay: total.toString(),
    notaries,
  };
}
