/**
 * Governance proposal contents of x/notarypay (declared in module.ts, routed by x/gov). Both use
 * permission 70 to raise and 71 to vote (PERMISSION_CREATE / VOTE_NOTARY_ERA_PROPOSAL).
 *
 * - AddNotaryEra: appends an era that starts after the last era and after the block in
 *   which the proposal is enacted, so a notary set never changes retroactively.
 * - RebindNotaryPayout: sets a notary key's payout account, overriding MsgSetPubkey's
 *   once-only binding.
 */
import { PermValue } from '../../proto/gen/sekai/gov/v1/permission';
import { ProposalAddNotaryEra, ProposalRebindNotaryPayout } from '../../proto/gen/sekai/notarypay/v1/notarypay';
import type { AnyProposalHandler, ProposalHandler } from '../../runtime/module';
import { checkRecipientRef } from '../accountid';
import { validateEra, type NotaryPayKeeper } from './keeper';
import { ErrInvalidEra } from './types/errors';

export const ADD_NOTARY_ERA_TYPE_URL = '/sekai.notarypay.v1.ProposalAddNotaryEra';
export const REBIND_NOTARY_PAYOUT_TYPE_URL = '/sekai.notarypay.v1.ProposalRebindNotaryPayout';

export function addNotaryEraProposal(k: NotaryPayKeeper): ProposalHandler<ProposalAddNotaryEra> {
  return {
    typeUrl: ADD_NOTARY_ERA_TYPE_URL,
    type: 'AddNotaryEra',
    codec: ProposalAddNotaryEra,
    createPermission: PermValue.PERMISSION_CREATE_NOTARY_ERA_PROPOSAL,
    votePermission: PermValue.PERMISSION_VOTE_NOTARY_ERA_PROPOSAL,
    description: 'appends a notary era that starts after the enacting block',
    validate: (c) => {
      if (!c.era) throw ErrInvalidEra.wrap('the proposal carries no era');
      validateEra(c.era);
    },
    execute: (ctx, c) => {
      const era = c.era!;
      if (era.startTime <= ctx.time.seconds) throw ErrInvalidEra.wrap(`era ${era.index} would start at ${era.startTime}, not after the block time ${ctx.time.seconds}`);
      k.appendEra(ctx, era);
    },
  };
}

export function rebindNotaryPayoutProposal(k: NotaryPayKeeper): ProposalHandler<ProposalRebindNotaryPayout> {
  return {
    typeUrl: REBIND_NOTARY_PAYOUT_TYPE_URL,
    type: 'RebindNotaryPayout',
    codec: ProposalRebindNotaryPayout,
    createPermission: PermValue.PERMISSION_CREATE_NOTARY_ERA_PROPOSAL,
    votePermission: PermValue.PERMISSION_VOTE_NOTARY_ERA_PROPOSAL,
    description: "sets a notary key's payout account",
    validate: (c) => {
      if (c.pubKey.length !== 33) throw ErrInvalidEra.wrap('pub_key must be a 33-byte compressed secp256k1 key');
      if (c.payout.trim() === '') throw ErrInvalidEra.wrap('payout must not be empty');
      checkRecipientRef(c.payout);
    },
    execute: (ctx, c) => {
      if (!k.eras(ctx).some((e) => e.notaries.some((n) => Buffer.from(n.pubKey).equals(Buffer.from(c.pubKey))))) {
        throw ErrInvalidEra.wrap('pub_key is no notary key of any era');
      }
      k.bindPayout(ctx, c.pubKey, c.payout);
    },
  };
}

/** Registers both proposal types (app/app.ts, once x/gov is wired). */
/** The proposal types this module declares (`defineModule({ proposals })`). */
export function notaryProposals(k: NotaryPayKeeper): AnyProposalHandler[] {
  return [addNotaryEraProposal(k), rebindNotaryPayoutProposal(k)];
}
