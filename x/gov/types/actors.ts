/**
 * Network actors as sekai creates them: the two roles genesis always has, and the vote options
 * a new actor may cast. The keeper, the proposal life cycle, genesis and the genesis editor
 * all read them from here.
 */
import { VoteOption, voteOptionToJSON } from '../../../proto/gen/sekai/gov/v1/gov';

/** sekai's role IDs: 1 = sudo (every permission but changing the tx fee), 2 = validator. */
export const ROLE_SUDO = 1;
export const ROLE_VALIDATOR = 2;

/** The vote options a new actor may cast (sekai NewDefaultActor), and the only valid ones. */
export const ALL_VOTE_OPTIONS: readonly VoteOption[] = [
  VoteOption.VOTE_OPTION_YES,
  VoteOption.VOTE_OPTION_ABSTAIN,
  VoteOption.VOTE_OPTION_NO,
  VoteOption.VOTE_OPTION_NO_WITH_VETO,
];

/** ALL_VOTE_OPTIONS by their proto-JSON names, as genesis.json lists an actor's votes. */
export const ALL_VOTE_OPTION_NAMES: readonly string[] = ALL_VOTE_OPTIONS.map(voteOptionToJSON);
