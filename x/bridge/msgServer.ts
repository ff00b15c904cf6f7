/** Thin message handlers of x/bridge: stateless checks here, rules in the keeper. */
import { ErrInvalidAddress } from '../../app/errors';
import { msgRoute, type MsgRoute } from '../../app/module';
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
import { checkDestWallet, parseAmount, type BridgeKeeper } from './keeper';
import { ErrInvalidEvent, ErrInvalidProposal, ErrInvalidSignature, ErrInvalidWallet, ErrMissingTimestamp } from './types/errors';
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

export function bridgeMsgs(k: BridgeKeeper): MsgRoute[] {
  return [
    msgRoute<MsgListenerAttest, MsgListenerAttestResponse>({
      typeUrl: BridgeTypeUrls.attest,
      codec: MsgListenerAttest,
      responseTypeUrl: `${BridgeTypeUrls.attest}Response`,
      responseCodec: MsgListenerAttestResponse,
      signers: (m) => [m.sender],
      validateBasic: (m) => {
        sender(m.sender);
        chain(m.chain);
        created(m.createdMs);
        validateEvent(m.event);
      },
      handle: (ctx, m) => k.attest(ctx, m.sender, m.chain, m.eventId, m.event!, m.createdMs),
    }) as MsgRoute,
    msgRoute<MsgWithdraw, MsgWithdrawResponse>({
      typeUrl: BridgeTypeUrls.withdraw,
      codec: MsgWithdraw,
      responseTypeUrl: `${BridgeTypeUrls.withdraw}Response`,
      responseCodec: MsgWithdrawResponse,
      signers: (m) => [m.sender],
      validateBasic: (m) => {
        sender(m.sender);
        chain(m.chain);
        checkDestWallet(m.destWallet);
        parseAmount(m.amount, 'amount');
      },
      handle: (ctx, m) => k.withdraw(ctx, m.sender, m.chain, m.asset, m.destWallet, m.amount),
    }) as MsgRoute,
    msgRoute<MsgApprove, MsgApproveResponse>({
      typeUrl: BridgeTypeUrls.approve,
      codec: MsgApprove,
      responseTypeUrl: `${BridgeTypeUrls.approve}Response`,
      responseCodec: MsgApproveResponse,
      signers: (m) => [m.sender],
      validateBasic: (m) => {
        sender(m.sender);
        chain(m.chain);
        created(m.createdMs);
        sig(m.signature);
      },
      handle: (ctx, m) => ({ approvals: k.approve(ctx, m.sender, m.chain, m.actionId, m.signature, m.createdMs) }),
    }) as MsgRoute,
    msgRoute<MsgProcessorApprove, MsgProcessorApproveResponse>({
      typeUrl: BridgeTypeUrls.processorApprove,
      codec: MsgProcessorApprove,
      responseTypeUrl: `${BridgeTypeUrls.processorApprove}Response`,
      responseCodec: MsgProcessorApproveResponse,
      signers: (m) => [m.sender],
      validateBasic: (m) => {
        sender(m.sender);
        chain(m.chain);
        created(m.createdMs);
        sig(m.signature);
      },
      handle: (ctx, m) => {
        k.processorApprove(ctx, m.sender, m.chain, m.actionId, m.signature, m.createdMs);
        return {};
      },
    }) as MsgRoute,
    msgRoute<MsgProposeOverride, MsgProposeOverrideResponse>({
      typeUrl: BridgeTypeUrls.proposeOverride,
      codec: MsgProposeOverride,
      responseTypeUrl: `${BridgeTypeUrls.proposeOverride}Response`,
      responseCodec: MsgProposeOverrideResponse,
      signers: (m) => [m.sender],
      validateBasic: (m) => {
        sender(m.sender);
        chain(m.chain);
        created(m.createdMs);
        body(m.replacement);
      },
      handle: (ctx, m) => ({ overrideId: k.proposeOverride(ctx, m.sender, m.chain, m.actionId, m.skip, m.replacement, m.createdMs) }),
    }) as MsgRoute,
    msgRoute<MsgConfirmOverride, MsgConfirmOverrideResponse>({
      typeUrl: BridgeTypeUrls.confirmOverride,
      codec: MsgConfirmOverride,
      responseTypeUrl: `${BridgeTypeUrls.confirmOverride}Response`,
      responseCodec: MsgConfirmOverrideResponse,
      signers: (m) => [m.sender],
      validateBasic: (m) => {
        sender(m.sender);
        chain(m.chain);
        created(m.createdMs);
      },
      handle: (ctx, m) => ({ applied: k.confirmOverride(ctx, m.sender, m.chain, m.overrideId, m.createdMs) }),
    }) as MsgRoute,
    msgRoute<MsgRevertEvent, MsgRevertEventResponse>({
      typeUrl: BridgeTypeUrls.revertEvent,
      codec: MsgRevertEvent,
      responseTypeUrl: `${BridgeTypeUrls.revertEvent}Response`,
      responseCodec: MsgRevertEventResponse,
      signers: (m) => [m.sender],
      validateBasic: (m) => {
        sender(m.sender);
        chain(m.chain);
        created(m.createdMs);
      },
      handle: (ctx, m) => ({ reverted: k.revertEvent(ctx, m.sender, m.chain, m.eventId, m.createdMs) }),
    }) as MsgRoute,
    msgRoute<MsgProposeAdmin, MsgProposeAdminResponse>({
      typeUrl: BridgeTypeUrls.proposeAdmin,
      codec: MsgProposeAdmin,
      responseTypeUrl: `${BridgeTypeUrls.proposeAdmin}Response`,
      responseCodec: MsgProposeAdminResponse,
      signers: (m) => [m.sender],
      validateBasic: (m) => {
        sender(m.sender);
        created(m.createdMs);
        sig(m.signature);
        if (!m.payload) throw ErrInvalidProposal.wrap('payload is missing');
      },
      handle: (ctx, m) => {
        const r = k.proposeAdmin(ctx, m.sender, m.payload!, m.signature, m.createdMs);
        return { proposalId: r.id, approved: r.approved };
      },
    }) as MsgRoute,
    msgRoute<MsgApproveAdmin, MsgApproveAdminResponse>({
      typeUrl: BridgeTypeUrls.approveAdmin,
      codec: MsgApproveAdmin,
      responseTypeUrl: `${BridgeTypeUrls.approveAdmin}Response`,
      responseCodec: MsgApproveAdminResponse,
      signers: (m) => [m.sender],
      validateBasic: (m) => {
        sender(m.sender);
        created(m.createdMs);
        sig(m.signature);
      },
      handle: (ctx, m) => ({ approved: k.approveAdmin(ctx, m.sender, m.proposalId, m.signature, m.createdMs) }),
    }) as MsgRoute,
    msgRoute<MsgSelfReplace, MsgSelfReplaceResponse>({
      typeUrl: BridgeTypeUrls.selfReplace,
      codec: MsgSelfReplace,
      responseTypeUrl: `${BridgeTypeUrls.selfReplace}Response`,
      responseCodec: MsgSelfReplaceResponse,
      signers: (m) => [m.sender],
      validateBasic: (m) => {
        sender(m.sender);
        created(m.createdMs);
        sig(m.signature);
      },
      handle: (ctx, m) => ({ historyIndex: k.selfReplace(ctx, m.sender, m.role, m.replacement, m.signature, m.createdMs) }),
    }) as MsgRoute,
  ];
}
