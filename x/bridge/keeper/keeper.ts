/**
 * The x/bridge keeper: a Kolme-style bridge. Listeners attest external-chain events,
 * which are processed strictly in id order once a quorum of current listeners agrees;
 * withdrawals become actions that approvers and then the processor sign, one at a time
 * in id order; a per-chain FIFO queue holds withdrawals the tracked balance cannot cover
 * yet; approvers can override a stuck action and listeners can revert a vanished event;
 * admin changes need two of the three groups and are kept in a provable history.
 *
 * The keeper is split by role, as cosmos x/bank's keeper/{keeper,send,view}.go:
 *   view.ts      the read-only view (queries, genesis export, invariants)
 *   state.ts     record writes, sender checks, amount and wallet rules
 *   attest.ts    attesting and processing events
 *   withdraw.ts  withdrawals and the FIFO queue
 *   actions.ts   outgoing actions and their approvals
 *   override.ts  skipping or replacing a stuck action
 *   revert.ts    reverting the last event
 *   admin.ts     admin proposals, self-replacement, the history
 */
import type { Context } from '../../../runtime/context';
import { AdminPayload, BridgeEvent, ChainState, Role, ValidatorSet, type ActionBody } from '../../../proto/gen/sekai/bridge/v1/bridge';
import type { StoreReader } from '../types/expectedKeepers';
import * as actions from './actions';
import * as admin from './admin';
import * as attestation from './attest';
import * as override from './override';
import * as revert from './revert';
import { type AttestResult, BridgeState, type WithdrawResult } from './state';
import * as withdrawal from './withdraw';

export class BridgeKeeper extends BridgeState {
  /** A listener attests `event` as the chain's event `eventId` (attest.ts). */
  attest(ctx: Context, sender: string, chain: string, eventId: bigint, event: BridgeEvent, createdMs: bigint): AttestResult {
    return attestation.attest(this, ctx, sender, chain, eventId, event, createdMs);
  }

  /** Processes the chain's lowest unprocessed events while each is attested by needed_listeners current listeners (attest.ts). */
  processReady(ctx: Context, cs: ChainState, set: ValidatorSet): number {
    return attestation.processReady(this, ctx, cs, set);
  }

  /** Processing after a validator-set change (attest.ts). */
  processAllChains(ctx: Context): void {
    attestation.processAllChains(this, ctx);
  }

  /** Burns `amount` of `asset` from the sender and sends it to `destWallet` on `chain` (withdraw.ts). */
  withdraw(ctx: Context, sender: string, chain: string, asset: string, destWallet: string, amountText: string): WithdrawResult {
    return withdrawal.withdraw(this, ctx, sender, chain, asset, destWallet, amountText);
  }

  /** Creates the chain's next action (actions.ts). */
  addAction(ctx: Context, cs: ChainState, body: ActionBody): bigint {
    return actions.addAction(this, ctx, cs, body);
  }

  /** An approver's signature over an action's payload (actions.ts). */
  approve(ctx: Context, sender: string, chain: string, actionId: bigint, signature: Uint8Array, createdMs: bigint): number {
    return actions.approve(this, ctx, sender, chain, actionId, signature, createdMs);
  }

  /** The processor's signature completes an action once needed_approvers current approvers signed (actions.ts). */
  processorApprove(ctx: Context, sender: string, chain: string, actionId: bigint, signature: Uint8Array, createdMs: bigint): void {
    actions.processorApprove(this, ctx, sender, chain, actionId, signature, createdMs);
  }

  /** An approver proposes to skip or replace the chain's lowest pending (stuck) action (override.ts). */
  proposeOverride(ctx: Context, sender: string, chain: string, actionId: bigint, skip: boolean, replacement: ActionBody | undefined, createdMs: bigint): bigint {
    return override.proposeOverride(this, ctx, sender, chain, actionId, skip, replacement, createdMs);
  }

  /** Approvers confirm an override (override.ts). */
  confirmOverride(ctx: Context, sender: string, chain: string, overrideId: bigint, createdMs: bigint): boolean {
    return override.confirmOverride(this, ctx, sender, chain, overrideId, createdMs);
  }

  /** Listeners vote to revert the chain's last event, which vanished in a reorg or hard fork (revert.ts). */
  revertEvent(ctx: Context, sender: string, chain: string, eventId: bigint, createdMs: bigint): boolean {
    return revert.revertEvent(this, ctx, sender, chain, eventId, createdMs);
  }

  /** Checks that an admin payload names exactly one well-formed change (admin.ts). */
  validatePayload(ctx: StoreReader, p: AdminPayload): void {
    admin.validatePayload(this, ctx, p);
  }

  /** Any validator proposes a NewSet, MigrateContract or Upgrade, signing the admin bytes (admin.ts). */
  proposeAdmin(ctx: Context, sender: string, payload: AdminPayload, signature: Uint8Array, createdMs: bigint): { id: bigint; approved: boolean } {
    return admin.proposeAdmin(this, ctx, sender, payload, signature, createdMs);
  }

  /** Any validator approves a pending proposal with its signature over the admin bytes (admin.ts). */
  approveAdmin(ctx: Context, sender: string, proposalId: bigint, signature: Uint8Array, createdMs: bigint): boolean {
    return admin.approveAdmin(this, ctx, sender, proposalId, signature, createdMs);
  }

  /** A member replaces its own key in one group, at once (no vote) (admin.ts). */
  selfReplace(ctx: Context, sender: string, role: Role, replacement: Uint8Array, signature: Uint8Array, createdMs: bigint): bigint {
    return admin.selfReplace(this, ctx, sender, role, replacement, signature, createdMs);
  }
}
