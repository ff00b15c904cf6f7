/** Thin message handlers of x/bridge: stateless checks here, rules in the keeper. */
import { ErrInvalidAddress } from '../../runtime/errors';
import type { Context, Timestamp } from '../../runtime/context';
import { msgRoute, type MessageCodec, type MsgRoute, type TxRules } from '../../runtime/module';
import type { ActionBody, BridgeEvent } from '../../proto/gen/sekai/bridge/v1/bridge';
import {
  MsgApprove,
  MsgApproveAdmin,
  MsgApproveAdminResponse,
  MsgApproveResponse,
  MsgConfirmOverride,
  MsgConfirmOverrideResponse,
  MsgListenerAttest,
  MsgListenerAttestResponse,
  MsgProcessorApprove,
  MsgProcessorApproveResponse,
  MsgProposeAdmin,
  MsgProposeAdminResponse,
  MsgProposeOverride,
  MsgProposeOverrideResponse,
  MsgRevertEvent,
  MsgRevertEventResponse,
  MsgSelfReplace,
  MsgSelfReplaceResponse,
  MsgWithdraw,
  MsgWithdrawResponse,
} from '../../proto/gen/sekai/bridge/v1/tx';
import { parseWallet } from '../accountid';
import { TIMESTAMP_TOLERANCE_MS, checkDestWallet, parseAmount, type BridgeKeeper } from './keeper';
import {
  ErrInvalidEvent,
  ErrInvalidProposal,
  ErrInvalidSignature,
  ErrInvalidWallet,
  ErrMissingTimestamp,
  ErrOverExportCap,
  ErrTimestampAheadOfNode,
  ErrTimestampExpired,
} from './types/errors';
import { isCompressedKey } from './validatorSet';

const P = '/sekai.bridge.v1.';
export const BridgeTypeUrls = {
  attest: `${P}MsgListenerAttest`,
  withdraw: `${P}MsgWithdraw`,
  approve: `${P}MsgApprove`,
  processorApprove: `${P}MsgProcessorApprove`,
  proposeOverride: `${P}MsgProposeOverride`,
  confirmOverride: `${P}MsgConfirmOverride`,
  revertEvent: `${P}MsgRevertEvent`,
  proposeAdmin: `${P}MsgProposeAdmin`,
  approveAdmin: `${P}MsgApproveAdmin`,
  selfReplace: `${P}MsgSelfReplace`,
} as const;

/** Keys one deposit may register: as many as an account may hold (x/accountid). */
export const MAX_DEPOSIT_KEYS = 16;
/** Fund entries per deposit or balance sync: bounds the work of one event. */
export const MAX_EVENT_FUNDS = 32;

const EXTERNAL_TEXT = /^[\x21-\x7e]{1,128}$/;

function sender(s: string): void {
  if (s.trim() === '') throw ErrInvalidAddress.wrap('sender must not be empty');
}

function chain(c: string): void {
  if (c === '') throw ErrInvalidEvent.wrap('chain must not be empty');
}

function created(ms: bigint): void {
  if (ms <= 0n) throw ErrMissingTimestamp.wrap('created_ms must be a positive Unix time in milliseconds');
}

function sig(s: Uint8Array): void {
  if (s.length !== 64) throw ErrInvalidSignature.wrap(`signature is ${s.length} bytes, expected 64`);
}

function funds(list: readonly { denom: string; amount: string }[], what: string): void {
  if (list.length > MAX_EVENT_FUNDS) throw ErrInvalidEvent.wrap(`${list.length} ${what}, at most ${MAX_EVENT_FUNDS}`);
  const seen = new Set<string>();
  for (const f of list) {
    if (!EXTERNAL_TEXT.test(f.denom)) throw ErrInvalidEvent.wrap(`denom ${JSON.stringify(f.denom)} is not 1-128 visible ASCII`);
    if (seen.has(f.denom)) throw ErrInvalidEvent.wrap(`denom ${f.denom} appears twice`);
    seen.add(f.denom);
    try {
      parseAmount(f.amount, `${what} ${f.denom}`);
    } catch (err) {
      throw ErrInvalidEvent.wrap(err instanceof Error ? err.message : 'bad amount');
    }
  }
}

/** Stateless checks of an event: exactly one kind, well-formed fields. */
export function validateEvent(e: BridgeEvent | undefined): void {
  if (!e) throw ErrInvalidEvent.wrap('event is missing');
  const kinds = [e.instantiated, e.regular, e.actionExecuted, e.balanceSync].filter((x) => x !== undefined).length;
  if (kinds !== 1) throw ErrInvalidEvent.wrap(`an event has exactly one kind, got ${kinds}`);
  if (e.instantiated && !EXTERNAL_TEXT.test(e.instantiated.contract)) throw ErrInvalidEvent.wrap('contract must be 1-128 visible ASCII');
  if (e.regular) {
    try {
      parseWallet(e.regular.wallet);
    } catch (err) {
      throw ErrInvalidWallet.wrap(err instanceof Error ? err.message : 'bad wallet');
    }
    funds(e.regular.funds, 'funds');
    if (e.regular.keys.length > MAX_DEPOSIT_KEYS) throw ErrInvalidEvent.wrap(`${e.regular.keys.length} keys, at most ${MAX_DEPOSIT_KEYS}`);
    e.regular.keys.forEach((k, i) => {
      if (!isCompressedKey(k)) throw ErrInvalidEvent.wrap(`key ${i} is not a 33-byte compressed secp256k1 key`);
    });
  }
  if (e.balanceSync) funds(e.balanceSync.holdings, 'holdings');
}

function body(b: ActionBody | undefined): void {
  if (b && [b.transfer, b.newSet, b.migrate].filter((x) => x !== undefined).length !== 1) throw ErrInvalidProposal.wrap('a replacement names exactly one action kind');
  if (b?.transfer) {
    checkDestWallet(b.transfer.destWallet);
    parseAmount(b.transfer.amount, 'replacement amount');
  }
}

/** A bridge Msg route: signed by `sender`, its response at `<typeUrl>Response`. */
function route<M extends { sender: string }, R>(typeUrl: string, codec: MessageCodec<M>, responseCodec: MessageCodec<R>, check: (m: M) => void, handle: (ctx: Context, m: M) => R): MsgRoute {
  return msgRoute<M, R>({
    typeUrl,
    codec,
    responseTypeUrl: `${typeUrl}Response`,
    responseCodec,
    signers: (m) => [m.sender],
    validateBasic: (m) => {
      sender(m.sender);
      check(m);
    },
    handle,
  }) as MsgRoute;
}

/** The fields of a validator message: its chain and signature where it has them, always created_ms. */
function validatorFields(m: { chain?: string; createdMs: bigint; signature?: Uint8Array }): void {
  if (m.chain !== undefined) chain(m.chain);
  created(m.createdMs);
  if (m.signature !== undefined) sig(m.signature);
}

export function bridgeMsgs(k: BridgeKeeper): MsgRoute[] {
  const U = BridgeTypeUrls;
  return [
    route(U.attest, MsgListenerAttest, MsgListenerAttestResponse, (m) => {
      validatorFields(m);
      validateEvent(m.event);
    }, (ctx, m) => k.attest(ctx, m.sender, m.chain, m.eventId, m.event!, m.createdMs)),
    route(U.withdraw, MsgWithdraw, MsgWithdrawResponse, (m) => {
      chain(m.chain);
      checkDestWallet(m.destWallet);
      parseAmount(m.amount, 'amount');
    }, (ctx, m) => k.withdraw(ctx, m.sender, m.chain, m.asset, m.destWallet, m.amount)),
    route(U.approve, MsgApprove, MsgApproveResponse, validatorFields, (ctx, m) => ({
      approvals: k.approve(ctx, m.sender, m.chain, m.actionId, m.signature, m.createdMs),
    })),
    route(U.processorApprove, MsgProcessorApprove, MsgProcessorApproveResponse, validatorFields, (ctx, m) => {
      k.processorApprove(ctx, m.sender, m.chain, m.actionId, m.signature, m.createdMs);
      return {};
    }),
    route(U.proposeOverride, MsgProposeOverride, MsgProposeOverrideResponse, (m) => {
      validatorFields(m);
      body(m.replacement);
    }, (ctx, m) => ({ overrideId: k.proposeOverride(ctx, m.sender, m.chain, m.actionId, m.skip, m.replacement, m.createdMs) })),
    route(U.confirmOverride, MsgConfirmOverride, MsgConfirmOverrideResponse, validatorFields, (ctx, m) => ({
      applied: k.confirmOverride(ctx, m.sender, m.chain, m.overrideId, m.createdMs),
    })),
    route(U.revertEvent, MsgRevertEvent, MsgRevertEventResponse, validatorFields, (ctx, m) => ({
      reverted: k.revertEvent(ctx, m.sender, m.chain, m.eventId, m.createdMs),
    })),
    route(U.proposeAdmin, MsgProposeAdmin, MsgProposeAdminResponse, (m) => {
      validatorFields(m);
      if (!m.payload) throw ErrInvalidProposal.wrap('payload is missing');
    }, (ctx, m) => {
      const r = k.proposeAdmin(ctx, m.sender, m.payload!, m.signature, m.createdMs);
      return { proposalId: r.id, approved: r.approved };
    }),
    route(U.approveAdmin, MsgApproveAdmin, MsgApproveAdminResponse, validatorFields, (ctx, m) => ({
      approved: k.approveAdmin(ctx, m.sender, m.proposalId, m.signature, m.createdMs),
    })),
    route(U.selfReplace, MsgSelfReplace, MsgSelfReplaceResponse, validatorFields, (ctx, m) => ({
      historyIndex: k.selfReplace(ctx, m.sender, m.role, m.replacement, m.signature, m.createdMs),
    })),
  ];
}

/** Milliseconds since the epoch of a protobuf timestamp. */
function timestampMs(t: Timestamp): bigint {
  return t.seconds * 1000n + BigInt(t.nanos) / 1_000_000n;
}

/**
 * Kolme's timestamp rules at the mempool (seed 002): a bridge message's created_ms more
 * than 2 minutes (TIMESTAMP_TOLERANCE_MS) ahead of this node's clock is refused, and one
 * more than 2 minutes behind it is refused, so ReCheckTx flushes a message that waited 2
 * minutes in the mempool. Both at CheckTx, where nothing is charged; the block then
 * applies the same 2-minute bound against its own time (`BridgeKeeper.checkCreated`).
 * Without a node clock (no `localTime`) the last block's time stands in for it.
 */
export function bridgeTxRules(k: BridgeKeeper): TxRules {
  return {
    // The cap per tx: all the tx's withdrawals of one denom together stay within its cap.
    beforeMsgs: (ctx, tx) => {
      const totals = new Map<string, bigint>();
      let count = 0;
      for (const m of tx.msgs) {
        if (m.typeUrl !== BridgeTypeUrls.withdraw) continue;
        const w = m.value as MsgWithdraw;
        totals.set(w.asset, (totals.get(w.asset) ?? 0n) + parseAmount(w.amount, 'amount'));
        count++;
      }
      if (count === 0) return;
      // eslint-disable-next-line determinism/no-unordered-iteration -- sorted right here
      for (const asset of [...totals.keys()].sort()) {
        const cap = k.bank.sendCapOf(ctx, asset);
        const total = totals.get(asset) ?? 0n;
        if (cap === undefined || total <= cap) continue;
        throw ErrOverExportCap.wrap(
          count === 1
            ? `${total}${asset} is above the cap of ${cap}${asset} per withdrawal`
            : `the tx's ${count} withdrawals move ${total}${asset} in total, above the cap of ${cap}${asset} per tx`,
        );
      }
    },
    mempool: (ctx, tx) => {
      const nowMs = timestampMs(ctx.localTime ?? ctx.time);
      tx.msgs.forEach((m, i) => {
        if (!m.typeUrl.startsWith(P)) return;
        const created = (m.value as { createdMs?: unknown }).createdMs;
        if (typeof created !== 'bigint') return;
        if (created === 0n) throw ErrMissingTimestamp.wrap(`message ${i}: created_ms is 0`);
        if (created > nowMs + TIMESTAMP_TOLERANCE_MS) {
          throw ErrTimestampAheadOfNode.wrap(`message ${i}: created ${created - nowMs} ms ahead of this node's clock; at most ${TIMESTAMP_TOLERANCE_MS} ms`);
        }
        if (created < nowMs - TIMESTAMP_TOLERANCE_MS) {
          throw ErrTimestampExpired.wrap(`message ${i}: created ${nowMs - created} ms before this node's clock; at most ${TIMESTAMP_TOLERANCE_MS} ms: sign it again`);
        }
      });
    },
  };
}
