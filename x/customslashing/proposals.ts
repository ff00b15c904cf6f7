/**
 * The reset-whole-validator-rank proposal content (sekai type "ResetWholeValidatorRank",
 * permissions 26 to raise / 27 to vote) for x/gov's proposal router. Enactment calls
 * `SlashingKeeper.resetWholeValidatorRank`, which leaves every status alone.
 */
import { PermValue } from '../../proto/gen/sekai/gov/v1/permission';
import { ProposalResetWholeValidatorRank } from '../../proto/gen/sekai/slashing/v1/slashing';
import type { ProposalHandler } from '../../runtime/module';
import type { SlashingKeeper } from './keeper';
import { ErrInvalidProposal } from './types/errors';

export const RESET_RANK_TYPE_URL = '/sekai.slashing.v1.ProposalResetWholeValidatorRank';
export const RESET_RANK_PROPOSAL_TYPE = 'ResetWholeValidatorRank';
/** Longest description accepted in the content (x/gov also bounds the proposal's own text). */
export const MAX_RESET_DESCRIPTION = 1024;

export function resetWholeValidatorRankProposal(keeper: Pick<SlashingKeeper, 'resetWholeValidatorRank'>): ProposalHandler<ProposalResetWholeValidatorRank> {
  return {
    typeUrl: RESET_RANK_TYPE_URL,
    type: RESET_RANK_PROPOSAL_TYPE,
    codec: ProposalResetWholeValidatorRank,
    createPermission: PermValue.PERMISSION_CREATE_RESET_WHOLE_VALIDATOR_RANK_PROPOSAL,
    votePermission: PermValue.PERMISSION_VOTE_RESET_WHOLE_VALIDATOR_RANK_PROPOSAL,
    description: "sets every validator's rank and streak to zero",
    validate(c) {
      if (c.description.length > MAX_RESET_DESCRIPTION) throw ErrInvalidProposal.wrap(`description is longer than ${MAX_RESET_DESCRIPTION} characters`);
    },
    execute: (ctx) => keeper.resetWholeValidatorRank(ctx),
  };
}
