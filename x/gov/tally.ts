/**
 * The tally of one proposal at voting end: quorum, then veto, then majority. Pure and
 * integer-only, so it is the same on every node and easy to test at its edges.
 */
import { Dec } from '../../types/dec';
import { VoteResult } from '../../proto/gen/sekai/gov/v1/gov';

export interface TallyCounts {
  /** Actors allowed to vote (holding the vote permission, blacklisted ones excluded). */
  eligible: bigint;
  yes: bigint;
  abstain: bigint;
  no: bigint;
  veto: bigint;
}

/**
 * - quorum: votes cast ≥ eligible × `quorum` (VOTE_QUORUM), else QUORUM_NOT_REACHED; an
 *   empty electorate never reaches quorum;
 * - veto: NO_WITH_VETO on at least half the votes cast → REJECTED_WITH_VETO;
 * - majority: YES on more than half the votes cast → PASSED; otherwise REJECTED (a tie
 *   does not pass).
 */
export function tally(c: TallyCounts, quorum: Dec): VoteResult {
  const cast = c.yes + c.abstain + c.no + c.veto;
  if (cast > c.eligible) throw new Error(`tally: ${cast} votes from ${c.eligible} eligible voters`);
  if (c.eligible === 0n || Dec.fromInt(cast).lt(quorum.mulInt(c.eligible))) return VoteResult.VOTE_RESULT_QUORUM_NOT_REACHED;
  if (cast === 0n) return VoteResult.VOTE_RESULT_QUORUM_NOT_REACHED;
  if (2n * c.veto >= cast) return VoteResult.VOTE_RESULT_REJECTED_WITH_VETO;
  if (2n * c.yes > cast) return VoteResult.VOTE_RESULT_PASSED;
  return VoteResult.VOTE_RESULT_REJECTED;
}
