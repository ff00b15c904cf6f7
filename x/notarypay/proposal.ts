/**
 * Block position of notarizations, through ABCI++ (Komodo's "one notarization per block,
 * and it is the first tx", which Komodo had to patch into its miner and block checks):
 *
 * - PrepareProposal puts the first notarization that passes every rule at index 0 and
 *   leaves the other notarizations out; they stay in the mempool for later blocks.
 * - ProcessProposal rejects a proposal with a notarization anywhere but index 0, with
 *   more than one, or whose notarization breaks a rule (`checkNotarization`).
 * - FinalizeBlock pays at most one notarization per block (`NotaryPayKeeper.notarize`).
 */
import type { Context } from '../../runtime/context';
import { ErrInvalidProposal, isCoded } from '../../runtime/errors';
import type { ProposalRules, ProposalTx, TxRules } from '../../runtime/module';
import type { MsgNotarize } from '../../proto/gen/sekai/notarypay/v1/tx';
import type { NotaryPayKeeper } from './keeper';
import { ErrMixedNotarizationTx, ErrNotarizationPosition, ErrTooManyNotarizations } from './types/errors';
import { NotaryPayTypeUrls } from './msgServer';

/** True when any message of the tx is a MsgNotarize. */
export function isNotarizationTx(p: ProposalTx): boolean {
  return p.tx?.msgs.some((m) => m.typeUrl === NotaryPayTypeUrls.notarize) ?? false;
}

/** The notarization of a tx that carries MsgNotarize alone; undefined otherwise. */
function soleNotarization(p: ProposalTx): MsgNotarize | undefined {
  const msgs = p.tx?.msgs ?? [];
  return msgs.length === 1 && msgs[0].typeUrl === NotaryPayTypeUrls.notarize ? (msgs[0].value as MsgNotarize) : undefined;
}

/**
 * Every block-position and notarization rule; throws the specific x/notarypay error.
 * (ProcessProposal wraps it in ErrInvalidProposal.)
 */
export function checkProposalNotarizations(k: NotaryPayKeeper, ctx: Context, txs: readonly ProposalTx[]): void {
  const at: number[] = [];
  txs.forEach((p, i) => {
    if (isNotarizationTx(p)) at.push(i);
  });
  if (at.length === 0) return;
  if (at.length > 1) throw ErrTooManyNotarizations.wrap(`${at.length} notarizations, at indexes ${at.join(', ')}`);
  if (at[0] !== 0) throw ErrNotarizationPosition.wrap(`notarization at index ${at[0]}`);
  const msg = soleNotarization(txs[0]);
  if (!msg) throw ErrMixedNotarizationTx.wrap(`the tx at index 0 has ${txs[0].tx?.msgs.length ?? 0} messages`);
  k.checkNotarization(ctx, msg);
}

/** Moves the first valid notarization to index 0 and drops every other notarization tx. */
export function prepareNotarizations(k: NotaryPayKeeper, ctx: Context, txs: ProposalTx[]): ProposalTx[] {
  let chosen: ProposalTx | undefined;
  const rest: ProposalTx[] = [];
  for (const p of txs) {
    if (!isNotarizationTx(p)) {
      rest.push(p);
      continue;
    }
    if (chosen) continue;
    const msg = soleNotarization(p);
    if (!msg) continue;
    try {
      k.checkNotarization(ctx, msg);
      chosen = p;
    } catch (err) {
      if (!isCoded(err)) throw err;
    }
  }
  return chosen ? [chosen, ...rest] : rest;
}

export function notaryProposalRules(k: NotaryPayKeeper): ProposalRules {
  return {
    prepare: (ctx, txs) => prepareNotarizations(k, ctx, txs),
    process: (ctx, txs) => {
      try {
        checkProposalNotarizations(k, ctx, txs);
      } catch (err) {
        if (!isCoded(err)) throw err;
        throw ErrInvalidProposal.wrap(err.message);
      }
    },
  };
}

/**
 * Whole-tx rules of notarizations. A notarization tx carries exactly one MsgNotarize and
 * nothing else (a proposal could never include any other shape, so such a tx is refused
 * everywhere, CheckTx first). In the mempool, a notarization must also pass every rule but
 * its block position against the check state: the last committed state at the next
 * height and the last block's time. That state stays the same while a block executes, so
 * the verdict does not depend on when CheckTx runs; ReCheckTx after each commit evicts a
 * notarization that has become stale.
 */
export function notaryTxRules(k: NotaryPayKeeper): TxRules {
  return {
    validate: (tx) => {
      const count = tx.msgs.filter((m) => m.typeUrl === NotaryPayTypeUrls.notarize).length;
      if (count > 0 && tx.msgs.length !== 1) {
        throw ErrMixedNotarizationTx.wrap(`the tx has ${tx.msgs.length} messages, ${count} of them MsgNotarize; send MsgNotarize alone in its own tx`);
      }
    },
    mempool: (ctx, tx) => {
      const msg = soleNotarization({ bytes: new Uint8Array(), tx });
      if (!msg) return;
      // The last block's time from this module's own record: the runtime knows it only after
      // executing a block, so right after a restart it would judge at time 0.
      const last = k.blockRecord(ctx, ctx.height - 1);
      k.checkNotarization(last ? ctx.withBlockTime({ seconds: last.timeSeconds, nanos: last.timeNanos }) : ctx, msg);
    },
  };
}
