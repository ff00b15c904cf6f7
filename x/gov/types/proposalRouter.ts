/**
 * The proposal-content registry: the handlers (`ProposalHandler`, the runtime's module
 * contract) of every content type, keyed by type URL. Each module declares the types it
 * executes in `defineModule({ proposals })`, x/gov included; app/app.ts registers them all
 * here at wiring time, before the first block, so the set is fixed for the process and
 * identical on every node running the same binary.
 */
import type { AnyProposalHandler, ProposalHandler } from '../../../runtime/module';

export type { ProposalHandler };

/** The set of proposal handlers, keyed by type URL. */
export interface ProposalRouter {
  /** Adds a handler; a second handler for the same type URL or type string is a wiring bug and throws. */
  register<C>(handler: ProposalHandler<C>): void;
  /** Registers each handler in order (`register`). */
  registerAll(handlers: readonly AnyProposalHandler[]): void;
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

  registerAll(handlers: readonly AnyProposalHandler[]): void {
    for (const h of handlers) this.register(h);
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
