/**
 * The governance proposal content x/customstaking executes: `ProposalUnjailValidator`
 * (sekai type "UnjailValidator", permission 20 to raise / 21 to vote). It takes a jailed
 * validator to INACTIVE while its UNJAIL_MAX_TIME has not passed; the operator then
 * activates it. The content is gov's message (`/sekai.gov.v1.`), as in sekai.
 */
import type { ProposalHandler } from '../../runtime/module';
import { PermValue } from '../../proto/gen/sekai/gov/v1/permission';
import { ProposalUnjailValidator } from '../../proto/gen/sekai/gov/v1/proposal';
import { ErrInvalidProposalContent } from '../gov';
import type { StakingKeeper } from './keeper';

export const UNJAIL_VALIDATOR_TYPE_URL = '/sekai.gov.v1.ProposalUnjailValidator';

export function unjailValidatorProposal(keeper: Pick<StakingKeeper, 'unjailValidator'>): ProposalHandler<ProposalUnjailValidator> {
  return {
    typeUrl: UNJAIL_VALIDATOR_TYPE_URL,
    type: 'UnjailValidator',
    codec: ProposalUnjailValidator,
    createPermission: PermValue.PERMISSION_CREATE_UNJAIL_VALIDATOR_PROPOSAL,
    votePermission: PermValue.PERMISSION_VOTE_UNJAIL_VALIDATOR_PROPOSAL,
    description: 'releases a validator jailed less than UNJAIL_MAX_TIME ago; it becomes inactive',
    // A malformed content is x/gov's refusal (customgov 18), as before the type moved here.
    validate: (c) => {
      if (c.valAddr.trim() === '') throw ErrInvalidProposalContent.wrap('val_addr must not be empty');
    },
    execute: (ctx, c) => keeper.unjailValidator(ctx, c.valAddr, c.reference),
  };
}
