/**
 * The life of a proposal: submission (content decoded, checked and dry-run on a branch that is
 * always discarded), votes, the tally when voting ends, and enactment on a branch that is kept
 * only when the content executes. Functions over the keeper, which delegates to them.
 */
import type { Context } from '../../runtime/context';
import { EventManager } from '../../runtime/events';
import { CacheKV } from '../../store/cachekv';
import type { KVStore } from '../../store/types';
import { CodedError } from '../../types/errors';
import type { Any } from '../../proto/gen/google/protobuf/any';
import { ActorStatus, Proposal, VoteOption, VoteResult, voteOptionToJSON, voteResultToJSON } from '../../proto/gen/sekai/gov/v1/gov';
import {
  ErrActorNotActive,
  ErrDescriptionTooLong,
  ErrInvalidProposalContent,
  ErrInvalidVoteOption,
  ErrProposalWouldFail,
  ErrTitleTooLong,
  ErrUnknownProposal,
  ErrUnknownProposalType,
  ErrVotingEnded,
} from './types/errors';
import { GovEvents } from './types/events';
import { Keys, readU64 } from './types/keys';
import { NetworkProperty } from './types/networkProperties';
import type { ProposalHandler } from './types/proposalRouter';
import { tally } from './tally';
import type { GovKeeper } from './keeper';
import { ALL_VOTE_OPTIONS } from './types/actors';

/** A branch of every store a context sees, written back only on `write()`. */
class StoreBranch {
  private readonly branches = new Map<string, CacheKV>();
  constructor(private readonly ctx: Context) {}
  getStore(name: string): KVStore {
    let b = this.branches.get(name);
    if (!b) {
      b = new CacheKV(this.ctx.store(name));
      this.branches.set(name, b);
    }
    return b;
  }
  write(): void {
    // Each store's branch writes to a different parent, so the order does not matter.
    // eslint-disable-next-line determinism/no-unordered-iteration -- sorted right here
    for (const name of [...this.branches.keys()].sort()) this.branches.get(name)!.write();
  }
}


/** The handler and decoded content of an Any; registered errors for an unknown type or bad bytes. */
export function decodeContent(k: GovKeeper, content: Any | undefined): { handler: ProposalHandler; value: unknown } {
  if (!content) throw ErrInvalidProposalContent.wrap('content is missing');
  const handler = k.proposals.get(content.typeUrl);
  if (!handler) throw ErrUnknownProposalType.wrap(`${content.typeUrl}; known: ${k.proposals.typeUrls().join(', ')}`);
  let value: unknown;
  try {
    value = handler.codec.decode(content.value);
  } catch {
    throw ErrInvalidProposalContent.wrap(`${content.typeUrl} does not decode`);
  }
  handler.validate?.(value);
  return { handler, value };
}

/**
 * Submits a proposal: content checked and dry-run on a throw-away branch, proposer's
 * create permission checked, timings fixed from the network properties.
 */
export function submitProposal(k: GovKeeper, ctx: Context, proposer: bigint, title: string, description: string, content: Any | undefined): bigint {
  const maxTitle = k.uint(ctx, NetworkProperty.MAX_PROPOSAL_TITLE_SIZE);
  const maxDesc = k.uint(ctx, NetworkProperty.MAX_PROPOSAL_DESCRIPTION_SIZE);
  if (BigInt(title.length) > maxTitle) throw ErrTitleTooLong.wrap(`${title.length} characters, at most ${maxTitle}`);
  if (BigInt(description.length) > maxDesc) throw ErrDescriptionTooLong.wrap(`${description.length} characters, at most ${maxDesc}`);
  const { handler, value } = decodeContent(k, content);
  k.requirePermission(ctx, proposer, handler.createPermission, `create a ${handler.type} proposal`);
  dryRun(ctx, handler, value);

  const now = ctx.time.seconds;
  const h = BigInt(ctx.height);
  const minEnd = k.uint(ctx, NetworkProperty.MINIMUM_PROPOSAL_END_TIME);
  const typed = k.proposalDuration(ctx, handler.type);
  const votingEnd = now + (typed > minEnd ? typed : minEnd);
  const endBlocks = k.uint(ctx, NetworkProperty.MIN_PROPOSAL_END_BLOCKS);
  const id = k.nextProposalId(ctx);
  const p = Proposal.fromPartial({
    proposalId: id,
    title,
    description,
    content,
    submitTime: now,
    votingEndTime: votingEnd,
    enactmentEndTime: votingEnd + k.uint(ctx, NetworkProperty.PROPOSAL_ENACTMENT_TIME),
    minVotingEndBlockHeight: h + endBlocks,
    minEnactmentEndBlockHeight: h + endBlocks + k.uint(ctx, NetworkProperty.MIN_PROPOSAL_ENACTMENT_BLOCKS),
    result: VoteResult.VOTE_RESULT_PENDING,
    execResult: '',
    proposer,
  });
  k.setProposal(ctx, p);
  k.setNextProposalId(ctx, id + 1n);
  k.kv(ctx).set(Keys.activeQueue(votingEnd, id), new Uint8Array());
  k.onCouncilorAct(ctx, proposer);
  ctx.events.emit(GovEvents.submitProposal, { proposal_id: id.toString(), proposal_type: handler.type, proposer: proposer.toString() });
  return id;
}

/** Executes content on a branch that is always discarded; a registered failure refuses the submission. */
function dryRun(ctx: Context, handler: ProposalHandler, value: unknown): void {
  const branch = new StoreBranch(ctx);
  try {
    handler.execute(ctx.withStores(branch).withEvents(new EventManager()), value);
  } catch (err) {
    if (err instanceof CodedError) throw ErrProposalWouldFail.wrap(`${handler.type}: ${err.message}`);
    throw err;
  }
}

/** Casts or replaces a vote. */
export function vote(k: GovKeeper, ctx: Context, voter: bigint, proposalId: bigint, option: VoteOption, slash: string): void {
  if (!ALL_VOTE_OPTIONS.includes(option)) throw ErrInvalidVoteOption.wrap(`${option}; use 1 yes, 2 abstain, 3 no, 4 no_with_veto`);
  const p = k.getProposal(ctx, proposalId);
  if (!p) throw ErrUnknownProposal.wrap(`proposal ${proposalId}`);
  if (p.result !== VoteResult.VOTE_RESULT_PENDING || p.votingEndTime < ctx.time.seconds) {
    throw ErrVotingEnded.wrap(`proposal ${proposalId} voting ended at ${p.votingEndTime}`);
  }
  // The permission first, so a refusal names what the voter lacks.
  const { handler } = decodeContent(k, p.content);
  k.requirePermission(ctx, voter, handler.votePermission, `vote on a ${handler.type} proposal`);
  const actor = k.getActor(ctx, voter)!;
  if (actor.status !== ActorStatus.ACTOR_STATUS_ACTIVE) throw ErrActorNotActive.wrap(`account ${voter} is ${ActorStatus[actor.status]}`);
  const first = !k.kv(ctx).has(Keys.vote(proposalId, voter));
  k.setVote(ctx, { proposalId, voter, option, slash });
  if (first) k.onCouncilorAct(ctx, voter);
  ctx.events.emit(GovEvents.voteProposal, { proposal_id: proposalId.toString(), voter: voter.toString(), option: voteOptionToJSON(option) });
}

/** Queue keys due at `t`, collected before any is touched. */
function due(k: GovKeeper, ctx: Context, prefix: Uint8Array, t: bigint): bigint[][] {
  const out: bigint[][] = [];
  for (const [key] of k.kv(ctx).iterator(prefix, Keys.queueUntil(prefix, t))) out.push([readU64(key, 1), readU64(key, 9)]);
  return out;
}

/** End of block: enact due proposals, then tally those whose voting ended. */
export function endBlock(k: GovKeeper, ctx: Context): void {
  const now = ctx.time.seconds;
  const h = BigInt(ctx.height);
  for (const [end, id] of due(k, ctx, Keys.enactmentQueuePrefix(), now)) {
    const p = k.getProposal(ctx, id)!;
    if (h < p.minEnactmentEndBlockHeight) continue;
    k.kv(ctx).delete(Keys.enactmentQueue(end, id));
    enact(k, ctx, p);
  }
  for (const [end, id] of due(k, ctx, Keys.activeQueuePrefix(), now)) {
    const p = k.getProposal(ctx, id)!;
    if (h < p.minVotingEndBlockHeight) continue;
    k.kv(ctx).delete(Keys.activeQueue(end, id));
    finishVoting(k, ctx, p);
  }
}

/** Tallies a proposal; a passed one waits in the enactment queue, others are final. */
export function finishVoting(k: GovKeeper, ctx: Context, p: Proposal): VoteResult {
  const { handler } = decodeContent(k, p.content);
  const perm = handler.votePermission;
  const roleMap = new Map(k.roles(ctx).map((r) => [r.id, r] as const));
  const eligible = new Set<bigint>();
  for (const a of k.actors(ctx)) if (k.actorAllowed(ctx, a, perm, roleMap)) eligible.add(a.accountId);
  const counts = { eligible: BigInt(eligible.size), yes: 0n, abstain: 0n, no: 0n, veto: 0n };
  const voted = new Set<bigint>();
  // Only the votes of voters still eligible count: a voter blacklisted since is out.
  for (const v of k.votes(ctx, p.proposalId)) {
    if (!eligible.has(v.voter)) continue;
    voted.add(v.voter);
    if (v.option === VoteOption.VOTE_OPTION_YES) counts.yes++;
    else if (v.option === VoteOption.VOTE_OPTION_ABSTAIN) counts.abstain++;
    else if (v.option === VoteOption.VOTE_OPTION_NO) counts.no++;
    else counts.veto++;
  }
  const result = tally(counts, k.dec(ctx, NetworkProperty.VOTE_QUORUM));
  // Absent means what it says: an ACTIVE councilor who could vote and did not.
  for (const c of k.councilors(ctx)) {
    if (eligible.has(c.accountId) && !voted.has(c.accountId)) k.onCouncilorAbsent(ctx, c.accountId);
  }
  const passed = result === VoteResult.VOTE_RESULT_PASSED;
  const updated: Proposal = {
    ...p,
    result: passed ? VoteResult.VOTE_RESULT_ENACTMENT : result,
    minEnactmentEndBlockHeight: BigInt(ctx.height) + k.uint(ctx, NetworkProperty.MIN_PROPOSAL_ENACTMENT_BLOCKS),
  };
  k.setProposal(ctx, updated);
  if (passed) k.kv(ctx).set(Keys.enactmentQueue(p.enactmentEndTime, p.proposalId), new Uint8Array());
  ctx.events.emit(GovEvents.proposalTally, {
    proposal_id: p.proposalId.toString(),
    result: voteResultToJSON(result),
    eligible: counts.eligible.toString(),
    yes: counts.yes.toString(),
    abstain: counts.abstain.toString(),
    no: counts.no.toString(),
    no_with_veto: counts.veto.toString(),
  });
  return result;
}

/** Executes a passed proposal on a branch: PASSED, or PASSED_WITH_EXEC_FAIL with the failure (branch discarded). */
export function enact(k: GovKeeper, ctx: Context, p: Proposal): void {
  if (p.result !== VoteResult.VOTE_RESULT_ENACTMENT) return;
  const { handler, value } = decodeContent(k, p.content);
  const branch = new StoreBranch(ctx);
  const events = new EventManager();
  let result = VoteResult.VOTE_RESULT_PASSED;
  let execResult = 'executed successfully';
  try {
    handler.execute(ctx.withStores(branch).withEvents(events), value);
    branch.write();
    ctx.events.emitEvents(events.events());
  } catch (err) {
    // A registered error is the proposal's failure; anything else is a bug and stops the node.
    if (!(err instanceof CodedError)) throw err;
    result = VoteResult.VOTE_RESULT_PASSED_WITH_EXEC_FAIL;
    execResult = `execution failed: ${err.message}`;
  }
  k.setProposal(ctx, { ...k.getProposal(ctx, p.proposalId)!, result, execResult });
  ctx.events.emit(GovEvents.proposalEnacted, { proposal_id: p.proposalId.toString(), result: voteResultToJSON(result) });
}
