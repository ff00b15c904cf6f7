/**
 * The proposal-content registry. A proposal carries its content as a protobuf `Any`; the
 * type URL selects a handler that says who may raise it, who may vote on it, how to
 * check it and what it does when enacted.
 *
 * How another module registers a proposal type (e.g. x/customslashing's reset of every
 * validator's rank):
 *
 *   // x/customslashing/proposals.ts
 *   export const resetRankProposal: ProposalHandler<ProposalResetWholeValidatorRank> = {
 *     typeUrl: '/sekai.gov.v1.ProposalResetWholeValidatorRank',
 *     type: 'ResetWholeValidatorRank',
 *     codec: ProposalResetWholeValidatorRank,
 *     createPermission: PermValue.PERMISSION_CREATE_RESET_WHOLE_VALIDATOR_RANK_PROPOSAL,
 *     votePermission: PermValue.PERMISSION_VOTE_RESET_WHOLE_VALIDATOR_RANK_PROPOSAL,
 *     validate: (c) => { ... throw a registered error ... },
 *     execute: (ctx, c) => slashingKeeper.resetWholeValidatorRank(ctx),
 *   };
 *   // app/app.ts, after building both keepers and before the module manager:
 *   govKeeper.proposals.register(resetRankProposal);
 *
 * x/gov registers its own types (network properties, permissions, roles, durations,
 * upgrade, text) and, when app/ hands it the staking and slashing keepers
 * (`GovKeeperDeps`), the unjail and reset-rank types too. Registration happens at wiring
 * time, before the first block; the set of types is then fixed for the process and
 * identical on every node running the same binary.
 */
import type { Context } from '../../../runtime/context';
import type { MessageCodec } from '../../../runtime/module';
import type { PermValue } from '../../../proto/gen/sekai/gov/v1/permission';

export interface ProposalHandler<C = unknown> {
  /** Type URL of the content message inside `MsgSubmitProposal.content`. */
  readonly typeUrl: string;
  /**
   * sekai's proposal type string ("SetNetworkProperty", "ResetWholeValidatorRank", …): the
   * name per-type voting durations are stored under (`SetProposalDurationsProposal`).
   */
  readonly type: string;
  readonly codec: MessageCodec<C>;
  /** The permission the proposer must hold (`isAllowed`). */
  readonly createPermission: PermValue;
  /** The permission a voter must hold; its holders (minus blacklisted ones) form the electorate. */
  readonly votePermission: PermValue;
  /** Stateless checks of the content; throws a registered error naming the bad field. */
  validate?(content: C): void;
  /**
   * Applies the content. Runs in a throw-away branch at submission (a content that cannot
   * apply is refused then) and for real at enactment, where a throw marks the proposal
   * PASSED_WITH_EXEC_FAIL and discards the handler's writes.
   */
  execute(ctx: Context, content: C): void;
}

/** The set of proposal handlers, keyed by type URL. */
export interface ProposalRouter {
  /** Adds a handler; a second handler for the same type URL or type string is a wiring bug and throws. */
  register<C>(handler: ProposalHandler<C>): void;
  get(typeUrl: string): ProposalHandler | undefined;
  /** Handler by sekai type string (for per-type durations). */
  byType(type: string): ProposalHandler | undefined;
  /** Registered type URLs, sorted. */
  typeUrls(): string[];
}

/** The default router: a map filled at wiring time, never changed while blocks run. */
export class ProposalRegistry implements ProposalRouter {
  private readonly handlers = new Map<string, ProposalHandler>();
  private readonly types = new Map<string, ProposalHandler>();

  register<C>(handler: ProposalHandler<C>): void {
    if (this.handlers.has(handler.typeUrl)) throw new Error(`proposal content ${handler.typeUrl} is registered twice`);
    if (this.types.has(handler.type)) throw new Error(`proposal type ${handler.type} is registered twice`);
    this.handlers.set(handler.typeUrl, handler as ProposalHandler);
    this.types.set(handler.type, handler as ProposalHandler);
  }

  get(typeUrl: string): ProposalHandler | undefined {
    return this.handlers.get(typeUrl);
  }

  byType(type: string): ProposalHandler | undefined {
    return this.types.get(type);
  }

  typeUrls(): string[] {
    // eslint-disable-next-line determinism/no-unordered-iteration -- sorted right here
    return [...this.handlers.keys()].sort();
  }
}
